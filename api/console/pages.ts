// The console's pages (issue 16, first step): logging in, and the person's own work at a glance.
import { html } from 'hono/html';
import { ROLE_LABELS, type Principal } from '../../domain/access';
import type { Bilingual } from '../../domain/stages';
import { page } from './layout';

export function loginPage(o: { csrf: string; next: string; username?: string; error?: Bilingual }) {
  return page(
    { vi: 'Đăng nhập', en: 'Log in' },
    html`<h1>Đăng nhập <span class="en">Log in</span></h1>
      ${o.error ? html`<p class="error" role="alert">${o.error.vi} <span class="en">${o.error.en}</span></p>` : ''}
      <form method="post" action="/app/login">
        <input type="hidden" name="csrf" value="${o.csrf}" />
        <input type="hidden" name="next" value="${o.next}" />
        <label for="username">Tên đăng nhập <span class="en">Username</span></label>
        <input type="text" id="username" name="username" autocomplete="username" required value="${o.username ?? ''}" />
        <label for="password">Mật khẩu <span class="en">Password</span></label>
        <input type="password" id="password" name="password" autocomplete="current-password" required />
        <button class="accept" type="submit">Đăng nhập <span class="en">Log in</span></button>
      </form>`,
  );
}

export function myWorkPage(p: Principal & { displayName: string }, work: { open: number; overdue: number; unread: number }, csrf: string) {
  const role = ROLE_LABELS[p.role];
  return page(
    { vi: 'Việc của tôi', en: 'My work' },
    html`<h1>Việc của tôi <span class="en">My work</span></h1>
      <p>${p.displayName} · ${role.vi} <span class="en">${role.en}</span></p>
      <dl>
        <dt>Trường hợp đang phụ trách <span class="en">Open cases assigned to you</span></dt>
        <dd>${work.open}</dd>
        <dt>Quá hạn <span class="en">Overdue</span></dt>
        <dd>${work.overdue}</dd>
        <dt>Thông báo chưa đọc <span class="en">Unread notices</span></dt>
        <dd>${work.unread}</dd>
      </dl>
      <form method="post" action="/app/logout">
        <input type="hidden" name="csrf" value="${csrf}" /><button type="submit">Đăng xuất <span class="en">Log out</span></button>
      </form>`,
  );
}
