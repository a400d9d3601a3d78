// The console offline (issue 30): registers the service worker (sw.js), gives the report form a
// fresh Idempotency-Key each time it is opened (a form kept for offline use is opened many times),
// and sends the reports waiting on this phone — those the service worker kept when there was no
// connection — with their keys, at every page load and when the connection returns: a report sent
// twice, or sent while a first try is still in flight, makes one case. Reports belong to whoever
// wrote them: only they see them here, and only their session sends them. A report the server now
// refuses stays, with the server's words, until its writer lets it go.
(() => {
  const vi = document.documentElement.lang !== 'en';
  const say = (words) => (vi ? words.vi : words.en);
  const me = document.body.dataset.me;

  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/app/sw.js', { scope: '/app' }).catch(() => {});

  const uuid = () =>
    crypto.randomUUID?.() ??
    '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) => (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));
  for (const form of document.querySelectorAll('form[data-outbox]')) {
    // A refused form keeps its key: sending it again is the same report.
    if (!form.hasAttribute('data-refused')) form.elements.idempotencyKey.value = uuid();
  }

  const open = () =>
    new Promise((resolve, reject) => {
      const req = indexedDB.open('cf-outbox', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('reports', { keyPath: 'key' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  const store = async (mode, work) => {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction('reports', mode);
        const result = work(tx.objectStore('reports'));
        tx.oncomplete = () => resolve(result?.result);
        tx.onerror = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  };
  const mine = async () => ((await store('readonly', (s) => s.getAll())) ?? []).filter((r) => r.writtenBy === me);
  const forget = (key) => store('readwrite', (s) => s.delete(key));
  const mark = (report, refused) => store('readwrite', (s) => s.put({ ...report, refused }));

  let waiting = 0;
  const banner = document.getElementById('outbox');
  const show = async () => {
    if (!me || !banner) return;
    const reports = await mine();
    waiting = reports.length;
    const pending = reports.filter((r) => !r.refused);
    const refused = reports.filter((r) => r.refused);
    banner.hidden = reports.length === 0;
    banner.replaceChildren();
    if (pending.length) {
      // Built node by node, never as HTML: no text here is ever read as markup.
      const p = document.createElement('p');
      const strong = document.createElement('strong');
      strong.textContent = say({ vi: 'Chưa gửi — sẽ gửi khi có mạng', en: 'Not sent yet — it will be sent when there is a connection' });
      const count = document.createElement('span');
      count.dataset.waiting = '';
      count.textContent = String(pending.length);
      p.append(strong, ': ', count, ` ${say({ vi: 'báo cáo', en: pending.length === 1 ? 'report' : 'reports' })}`);
      banner.append(p);
    }
    for (const r of refused) {
      const p = document.createElement('p');
      p.dataset.refused = r.key;
      p.textContent = `${say({ vi: 'Máy chủ không nhận báo cáo viết lúc', en: 'The server refused the report written at' })} ${new Date(r.recordedAt).toLocaleString(vi ? 'vi-VN' : 'en-GB')}: ${r.refused} `;
      const drop = document.createElement('button');
      drop.type = 'button';
      drop.textContent = say({ vi: 'Bỏ báo cáo này', en: 'Discard this report' });
      drop.addEventListener('click', async () => {
        if (confirm(say({ vi: 'Bỏ hẳn báo cáo này khỏi máy?', en: 'Discard this report from the phone for good?' }))) {
          await forget(r.key);
          await show();
        }
      });
      p.append(drop);
      banner.append(p);
    }
  };

  /** Sends my waiting reports, oldest first; stops at the first that cannot go now (no connection, no session). */
  const send = async () => {
    const csrf = document.querySelector('input[name="csrf"]')?.value;
    if (!me || !csrf) return;
    const reports = (await mine()).filter((r) => !r.refused).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
    for (const report of reports) {
      const body = new URLSearchParams();
      for (const [name, value] of report.fields) if (name !== 'csrf' && name !== 'recordedAt') body.append(name, value);
      body.append('csrf', csrf);
      body.append('recordedAt', report.recordedAt);
      let res;
      try {
        res = await fetch('/app/intake', { method: 'POST', body, credentials: 'same-origin', headers: { 'x-outbox': '1', accept: 'application/json' } });
      } catch {
        break; // still no connection, or it was lost on the way: the key makes the next try the same report
      }
      if (res.redirected || res.status === 401 || res.status === 403) break; // to send under a session of mine, after logging in
      if (res.ok) {
        await forget(report.key);
        continue;
      }
      if (res.status >= 400 && res.status < 500 && res.status !== 429) {
        const answer = await res.json().catch(() => undefined);
        const words = answer?.error
          ? [answer.error.message, ...(answer.error.details ?? []).map((d) => `${d.path}: ${d.message}`)].join(' · ')
          : `HTTP ${res.status}`;
        await mark(report, words);
        continue;
      }
      break; // the server cannot take it now: later
    }
  };
  const sync = () => (navigator.locks ? navigator.locks.request('cf-outbox', send) : send()).catch(() => {}).then(show);

  if (me) {
    sync();
    window.addEventListener('online', sync);
  }

  // Logging out asks first when reports of mine still wait: yes discards them from this phone.
  for (const form of document.querySelectorAll('form[data-logout]')) {
    form.addEventListener('submit', async (event) => {
      const leave = () => navigator.serviceWorker?.controller?.postMessage('forget');
      if (waiting === 0) return leave();
      event.preventDefault();
      const question = say({
        vi: `Còn ${waiting} báo cáo chưa gửi trên máy này. Đăng xuất sẽ xoá chúng. Vẫn đăng xuất?`,
        en: `${waiting} reports on this phone are not sent yet. Logging out discards them. Log out anyway?`,
      });
      if (!confirm(question)) return;
      await Promise.all((await mine()).map((r) => forget(r.key)));
      waiting = 0;
      leave();
      form.submit();
    });
  }
})();
