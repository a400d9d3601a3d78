// The console as an installable app for village collaborators (issue 30): its manifest, icons,
// service worker (sw.js, versioned with the product: a change to it or to the scripts it keeps is
// a new version, which replaces the old worker and its caches) and the page a staff page becomes
// with no connection. What the worker keeps is marked by the pages themselves (offlineHeaders).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { html } from 'hono/html';
import type { Context } from 'hono';
import { page } from './layout';

const read = (name: string) => readFileSync(new URL(name, import.meta.url));
export const CONSOLE_SCRIPT = read('./console.js').toString('utf8');
export const OFFLINE_SCRIPT = read('./offline.js').toString('utf8');
export const ICONS: Record<string, Buffer> = { '192': read('./icons/192.png'), '512': read('./icons/512.png') };
const WORKER_SOURCE = read('./sw.js').toString('utf8');
const PRODUCT_VERSION = (JSON.parse(read('../../package.json').toString('utf8')) as { version: string }).version;

/** The product's version as the service worker knows it: what it keeps changes, the version changes. */
export const OFFLINE_VERSION = `${PRODUCT_VERSION}-${createHash('sha256')
  .update(WORKER_SOURCE)
  .update(CONSOLE_SCRIPT)
  .update(OFFLINE_SCRIPT)
  .update(ICONS['192']!)
  .digest('hex')
  .slice(0, 12)}`;
export const SERVICE_WORKER = WORKER_SOURCE.replace("'__VERSION__'", JSON.stringify(OFFLINE_VERSION));

export const MANIFEST = {
  name: 'Báo cáo nhanh — Công tác xã hội',
  short_name: 'Báo cáo CTXH',
  description: 'Báo cáo trẻ em, người gặp nguy hiểm cho trung tâm công tác xã hội, cả khi không có mạng',
  lang: 'vi',
  start_url: '/app/intake',
  scope: '/app',
  display: 'standalone',
  background_color: '#ffffff',
  theme_color: '#1f4e8c',
  icons: [
    { src: '/app/icons/192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/app/icons/512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
  ],
};

/** What a staff page says when there is no connection, instead of the browser's error. */
export const offlinePage = () =>
  page(
    { vi: 'Không có mạng', en: 'No connection' },
    html`<h1>Không có mạng <span class="en">No connection</span></h1>
      <p><strong>Không có mạng — trang này cần kết nối.</strong> <span class="en">No connection — this page needs one.</span></p>
      <p>
        Báo cáo mới vẫn viết được khi không có mạng, và sẽ được gửi khi có mạng trở lại.
        <span class="en">A new report can still be written offline; it is sent when the connection returns.</span>
      </p>
      <p>
        <a href="/app/intake">Báo cáo mới <span class="en">New report</span></a> · <a href="/app">Việc của tôi <span class="en">My work</span></a>
      </p>`,
  );

/**
 * Marks a page for the service worker: whose session it was made for (kept pages of anyone else
 * are emptied), and, with `keep`, that a collaborator may open it again with no connection.
 */
export function offlineHeaders(c: Context, o: { owner?: string; keep?: boolean }) {
  if (o.owner) c.header('x-offline-owner', o.owner);
  if (o.keep) c.header('x-offline', 'keep');
  c.header('vary', 'cookie');
}
