// The console's service worker (issue 30), scoped to /app (My work) and the pages below it: what lets a village collaborator with
// no signal open the report form, write a report and have it sent, once, when the signal returns.
//
// - Pages: always the network first. The few a collaborator needs offline — the report form, their
//   reports, the login page — are kept when the server marks them (`x-offline: keep`), and only for
//   the person they were made for (`x-offline-owner`): a page of another person's session empties
//   the kept pages, and so does logging out. Nothing of a staff page is ever kept: offline, a staff
//   page is a page that says so in words.
// - A report posted with no connection (or whose answer never came back) waits in IndexedDB with
//   its Idempotency-Key, the time it was written and who wrote it; the page sends it when it can
//   (console.js), and the key makes a report sent twice one case.
// - `__VERSION__` is the product's: a new version replaces this worker and its caches.
const VERSION = '__VERSION__';
const SHELL = `cf-shell-${VERSION}`;
const PAGES = `cf-pages-${VERSION}`;
const SHELL_FILES = ['/app/offline', '/app/console.js', '/app/offline.js', '/app/manifest.webmanifest', '/app/icons/192.png', '/app/icons/512.png'];
const OWNER_KEY = '/app/__owner';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(SHELL_FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== SHELL && n !== PAGES).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

// "forget": logging out, or another person on this phone: the kept pages go.
self.addEventListener('message', (event) => {
  if (event.data === 'forget') event.waitUntil(caches.delete(PAGES));
});

/** Kept pages belong to one person; a page of someone else's session empties them first. */
async function keep(request, response) {
  const owner = response.headers.get('x-offline-owner');
  const pages = await caches.open(PAGES);
  const previous = await pages.match(OWNER_KEY);
  if (owner && (!previous || (await previous.text()) !== owner)) {
    await caches.delete(PAGES);
    await (await caches.open(PAGES)).put(OWNER_KEY, new Response(owner));
  }
  if (response.headers.get('x-offline') === 'keep') await (await caches.open(PAGES)).put(new URL(request.url).pathname, response.clone());
}

async function page(request) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await keep(request, response);
    return response;
  } catch {
    const kept = await (await caches.open(PAGES)).match(new URL(request.url).pathname);
    return kept ?? (await caches.match('/app/offline'));
  }
}

// The outbox, shared with console.js: one object store of reports waiting to be sent.
function outbox() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('cf-outbox', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('reports', { keyPath: 'key' });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function wait(fields) {
  const key = fields.find(([name]) => name === 'idempotencyKey')?.[1];
  const writtenBy = fields.find(([name]) => name === 'writtenBy')?.[1];
  if (!key || !writtenBy) return false;
  const db = await outbox();
  await new Promise((resolve, reject) => {
    const tx = db.transaction('reports', 'readwrite');
    const store = tx.objectStore('reports');
    // A report written twice with the same key (posted again while waiting) waits once, as first written.
    const existing = store.get(key);
    existing.onsuccess = () => {
      if (!existing.result) store.put({ key, writtenBy, recordedAt: new Date().toISOString(), fields, refused: null });
    };
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  return true;
}

/** A report posted with no connection: it waits on the phone, and the page says so. */
async function report(request) {
  const fields = [...(await request.clone().formData()).entries()].filter(([, value]) => typeof value === 'string');
  try {
    return await fetch(request);
  } catch {
    if (!(await wait(fields))) return await caches.match('/app/offline');
    return Response.redirect('/app/intake?waiting=1', 303);
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith('/app')) return;
  if (request.mode === 'navigate') {
    if (request.method === 'POST' && url.pathname === '/app/intake') event.respondWith(report(request));
    else if (request.method === 'GET') event.respondWith(page(request));
    return;
  }
  // The shell (scripts, icons, manifest) is this version's: from the cache, which a new version replaces.
  if (request.method === 'GET' && SHELL_FILES.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((kept) => kept ?? fetch(request)));
  }
});
