// What every console page knows of its reader (who, in which language, the form token) and the
// frame around it: the navigation, the language switch and logging out.
import type { Context } from 'hono';
import { html } from 'hono/html';
import { ROLE_LABELS, ROLES, type Principal, type Role } from '../../domain/access';
import { ACTIONS } from '../../domain/actions';
import type { Bilingual } from '../../domain/stages';
import type { ApiDeps, AppEnv } from '../context';
import type { ApiError } from './api-call';
import { sayIn, type Lang, type Say } from './format';
import { page } from './layout';
import { csrfToken } from './session';

export interface View {
  lang: Lang;
  say: Say;
  principal: Principal;
  displayName: string;
  csrf: string;
  /** The page's own path, to mark it in the navigation. */
  path: string;
}

export function viewOf(c: Context<AppEnv>, deps: ApiDeps): View {
  const lang: Lang = c.get('language') === 'en' ? 'en' : 'vi';
  return { lang, say: sayIn(lang), principal: c.get('principal'), displayName: c.get('displayName'), csrf: csrfToken(c, deps), path: c.req.path };
}

/** Who sees each page: those whose role may act on it. */
export const LEAD_PAGES: Record<'/app/approvals' | '/app/escalations' | '/app/stuck', readonly Role[]> = {
  '/app/approvals': ACTIONS.riskDecision.roles,
  '/app/escalations': ACTIONS.assign.roles,
  '/app/stuck': ['admin', 'manager'],
};

const STAFF = ROLES.filter((r) => r !== 'collaborator');
/** The console's pages, and who has each (a page checks its own roles too). */
const NAV: Array<{ href: string; words: Bilingual; roles: readonly Role[] }> = [
  { href: '/app', words: { vi: 'Việc của tôi', en: 'My work' }, roles: ROLES },
  { href: '/app/intake', words: { vi: 'Báo cáo mới', en: 'New report' }, roles: ROLES },
  { href: '/app/hotline', words: { vi: 'Tổng đài', en: 'Hotline' }, roles: ['social_worker', 'supervisor', 'manager'] },
  { href: '/app/contacts', words: { vi: 'Sổ tổng đài', en: 'Contact log' }, roles: ['social_worker', 'supervisor', 'manager'] },
  { href: '/app/clients', words: { vi: 'Người được trợ giúp', en: 'Clients' }, roles: STAFF },
  { href: '/app/carers', words: { vi: 'Nơi chăm sóc thay thế', en: 'Carers' }, roles: STAFF },
  { href: '/app/programmes', words: { vi: 'Sinh hoạt nhóm', en: 'Programmes' }, roles: ['social_worker', 'supervisor', 'manager'] },
  { href: '/app/approvals', words: { vi: 'Chờ duyệt', en: 'Approvals' }, roles: LEAD_PAGES['/app/approvals'] },
  { href: '/app/escalations', words: { vi: 'Cảnh báo quá hạn', en: 'Escalations' }, roles: LEAD_PAGES['/app/escalations'] },
  { href: '/app/stuck', words: { vi: 'Việc bị kẹt', en: 'Stuck work' }, roles: LEAD_PAGES['/app/stuck'] },
  { href: '/app/reports', words: { vi: 'Báo cáo', en: 'Reports' }, roles: ['manager', 'supervisor'] },
  { href: '/app/rules', words: { vi: 'Quy tắc phân luồng', en: 'Routing rules' }, roles: ['manager'] },
  { href: '/app/policies/deadlines', words: { vi: 'Thời hạn', en: 'Deadlines' }, roles: ['manager'] },
  { href: '/app/directory', words: { vi: 'Danh bạ', en: 'Directory' }, roles: ['admin'] },
];
const OTHER_LANGUAGE: Record<Lang, { lang: Lang; words: string }> = { vi: { lang: 'en', words: 'English' }, en: { lang: 'vi', words: 'Tiếng Việt' } };
const LOG_OUT: Bilingual = { vi: 'Đăng xuất', en: 'Log out' };

/** The hidden field every form of the console carries. */
export const csrfField = (v: View) => html`<input type="hidden" name="csrf" value="${v.csrf}" />`;

/** A console page; `clearDraft` names a form whose kept draft the server has taken (console.js forgets it). */
export function consolePage(v: View, title: Bilingual, body: unknown, o: { clearDraft?: string } = {}) {
  const { say } = v;
  const other = OTHER_LANGUAGE[v.lang];
  const current = (href: string) => (href === '/app' ? v.path === '/app' : v.path.startsWith(href));
  const header = html`<header class="top">
    <nav aria-label="${say({ vi: 'Điều hướng', en: 'Navigation' })}">
      ${NAV.filter((item) => item.roles.includes(v.principal.role)).map(
        (item) => html`<a href="${item.href}" ${current(item.href) ? html`aria-current="page"` : ''}>${say(item.words)}</a>`,
      )}
    </nav>
    <span class="muted">${v.displayName} · ${say(ROLE_LABELS[v.principal.role])}</span>
    <form method="post" action="/app/language">
      ${csrfField(v)}<input type="hidden" name="lang" value="${other.lang}" /><input type="hidden" name="back" value="${v.path}" />
      <button type="submit" lang="${other.lang}">${other.words}</button>
    </form>
    <form method="post" action="/app/logout" data-logout>${csrfField(v)}<button type="submit">${say(LOG_OUT)}</button></form>
  </header>`;
  const marked = o.clearDraft
    ? html`<div data-clear-draft="${o.clearDraft}" hidden></div>
        ${body}`
    : body;
  return page(title, marked, { lang: v.lang, header, script: true, me: v.principal.id });
}

/** The API's refusal as a list of words, and its details by field for the form. */
export function refusalOf(error: ApiError) {
  return {
    errors: new Map(error.details.map((d) => [d.path, d.message])),
    alert: html`<div class="alert" role="alert">
      <p><strong>${error.message}</strong></p>
      ${
        error.details.length
          ? html`<ul>
              ${error.details.map((d) => html`<li>${d.path}: ${d.message}</li>`)}
            </ul>`
          : ''
      }
    </div>`,
  };
}
