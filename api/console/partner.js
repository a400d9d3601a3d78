// The partner's page (/r/{token}): its answer (accept, decline with a reason, complete with an
// outcome) sent as JSON to the same link, and the page read again. A file, not an inline script:
// the Content-Security-Policy lets no inline script run on any page (api/headers.ts).
(() => {
  const form = document.getElementById('answer');
  if (!form) return;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const said = document.getElementById('said');
    const body = { action: event.submitter.value };
    for (const name of ['reason', 'outcome']) if (form[name] && form[name].value.trim()) body[name] = form[name].value.trim();
    const res = await fetch(window.location.href, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'vi' },
      body: JSON.stringify(body),
    });
    if (res.ok) return window.location.reload();
    const answer = await res.json().catch(() => ({}));
    said.textContent = (answer.error && answer.error.message) + ' ' + ((answer.error && answer.error.details) || []).map((d) => d.message).join('; ');
  });
})();
