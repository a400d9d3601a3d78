// The console's only script, and none of the pages needs it to work: it keeps what is typed in a
// form across a re-login (in this tab's sessionStorage, cleared once the server has taken the form
// and when logging out), and refreshes a form's live check (the intake's earlier cases and routing
// preview) as fields are filled; and prints a report. On the hotline page (form[data-enter-submits]),
// for a call in progress: Enter saves (Shift+Enter is a new line in a text box), a letter picks the
// choice of a list that begins with it, and a running timer fills the duration when it is saved.
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
        // The server's own fragment, every text in it escaped there; and whatever it held, no inline
        // script or handler in it could run (the Content-Security-Policy, api/headers.ts).
        if (res.ok && /^text\/html/.test(res.headers.get('content-type') ?? '')) target.innerHTML = await res.text();
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

  // Letters without their marks, so "b" finds "Báo tin" and "d" finds "Đ…".
  const plain = (s) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/gi, 'd')
      .toLowerCase();
  for (const form of document.querySelectorAll('form[data-enter-submits]')) {
    // A call starts at its first field (the call type), without reaching for the mouse.
    if (document.activeElement === document.body) form.querySelector('select, textarea, input:not([type="hidden"])')?.focus();
    form.addEventListener('keydown', (e) => {
      const el = e.target;
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && el.tagName !== 'BUTTON' && el.tagName !== 'A') {
        e.preventDefault();
        form.requestSubmit();
        return;
      }
      if (el.tagName === 'SELECT' && e.key.length === 1 && /\p{L}/u.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) {
        const letter = plain(e.key);
        const options = [...el.options].filter((o) => o.value);
        const from = options.indexOf(el.selectedOptions[0]);
        // The next choice with this letter after the current one, so pressing it again moves on.
        const match = [...options.slice(from + 1), ...options.slice(0, from + 1)].find((o) => plain(o.text.trim()).startsWith(letter));
        if (!match) return;
        e.preventDefault();
        el.value = match.value;
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }
    });
  }
  for (const form of document.querySelectorAll('form[data-timer]')) {
    const started = Date.parse(form.dataset.timer);
    const display = form.querySelector('[data-timer-display]');
    const duration = form.querySelector('[name="durationMinutes"]');
    const elapsed = () => Math.max(0, Math.floor((Date.now() - started) / 1000));
    const two = (n) => String(n).padStart(2, '0');
    const tick = () => {
      const s = elapsed();
      if (display) display.textContent = `${two(Math.floor(s / 60))}:${two(s % 60)}`;
    };
    tick();
    setInterval(tick, 1000);
    form.addEventListener('submit', () => {
      if (duration && !duration.value) duration.value = String(Math.max(1, Math.ceil(elapsed() / 60)));
    });
  }
})();
