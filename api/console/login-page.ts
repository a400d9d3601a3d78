// The console's login page: Vietnamese first, English beside it, before anyone's language is known.
import { html } from 'hono/html';
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
