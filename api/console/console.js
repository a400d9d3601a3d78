// The console's only script, and none of the pages needs it to work: it keeps what is typed in a
// form across a re-login (in this tab's sessionStorage, cleared once the server has taken the form
// and when logging out), and refreshes a form's live check (the intake's earlier cases and routing
// preview) as fields are filled; and prints a report.
(() => {
  const DRAFT = 'cf-draft:';
  const saved = (form) => {
    const data = {};
    for (const el of form.elements) {
      if (!el.name || el.type === 'hidden' || el.type === 'submit' || el.type === 'password') continue;
      if (el.type === 'checkbox') (data[el.name] ??= []).push(...(el.checked ? [el.value] : []));
      else data[el.name] = el.value;
    }
    return data;
  };
  const restore = (form, data) => {
    for (const el of form.elements) {
      if (!(el.name in data) || el.type === 'hidden') continue;
      if (el.type === 'checkbox') el.checked = data[el.name].includes(el.value);
      else if (!el.value) el.value = data[el.name];
    }
  };

  for (const button of document.querySelectorAll('[data-print]')) button.addEventListener('click', () => window.print());
  for (const marker of document.querySelectorAll('[data-clear-draft]')) sessionStorage.removeItem(DRAFT + marker.dataset.clearDraft);
  for (const form of document.querySelectorAll('form[data-logout]')) {
    form.addEventListener('submit', () => {
      for (const key of Object.keys(sessionStorage)) if (key.startsWith(DRAFT)) sessionStorage.removeItem(key);
    });
  }
  for (const form of document.querySelectorAll('form[data-draft]')) {
    const key = DRAFT + form.dataset.draft;
    const kept = sessionStorage.getItem(key);
    if (kept && !form.hasAttribute('data-refused')) {
      restore(form, JSON.parse(kept));
      form.closest('details')?.setAttribute('open', '');
    }
    form.addEventListener('input', () => sessionStorage.setItem(key, JSON.stringify(saved(form))));
  }

  for (const form of document.querySelectorAll('form[data-check]')) {
    const target = document.querySelector(form.dataset.checkTarget);
    let timer;
    let asked = 0;
    const check = async () => {
      const mine = ++asked;
      try {
        const res = await fetch(form.dataset.check, { method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: 'same-origin' });
        if (mine !== asked) return;
        if (res.redirected && new URL(res.url).pathname === '/app/login') {
          target.innerHTML = '';
          target.textContent = target.dataset.expired;
          return;
        }
        if (res.ok) target.innerHTML = await res.text();
      } catch {
        // Offline for a moment: the next change asks again, and the form still posts.
      }
    };
    form.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
    if (sessionStorage.getItem(DRAFT + form.dataset.draft)) check();
  }
})();
