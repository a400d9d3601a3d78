// Việc của tôi / My work: what falls due (overdue, today, this week), escalations addressed to me,
// unread notices. A social worker sees their own cases, a supervisor the unit's, a manager the
// province's (the API's scope); a collaborator sees the status of what they reported.
import { html } from 'hono/html';
import type { Case, CaseStatus } from '../../domain/case';
import { DEADLINE_STEP_LABELS } from '../../domain/labels';
import type { Bilingual } from '../../domain/stages';
import type { Contact } from '../../domain/contacts';
import type { PlacementView } from '../../domain/placement-view';
import type { SessionToRecord } from '../../domain/programmes';
import { placementBadge } from './placement-bits';
import { caseItem } from './case-bits';
import { contactList } from './hotline-page';
import { dateTime } from './format';
import { consolePage, csrfField, type View } from './view';

export interface Escalation {
  id: string;
  caseId: string;
  caseRef: string;
  step: keyof typeof DEADLINE_STEP_LABELS;
  level: 'supervisor' | 'manager';
  dueAt: string;
  openedAt: string;
  unit: { id: string; name: string } | null;
  assignedWorker: { id: string; displayName: string } | null;
}
export interface Notice {
  id: string;
  caseId: string | null;
  caseRef: string | null;
  message: Bilingual;
  createdAt: string;
}

export interface Work {
  overdue: Array<Case | CaseStatus>;
  today: Array<Case | CaseStatus>;
  week: Array<Case | CaseStatus>;
  /** The current placements of my cases (issue 28): a temporary separation's days left. */
  placed: PlacementView[];
  escalations: Escalation[];
  notices: Notice[];
  /** A collaborator's reports. */
  reports: CaseStatus[];
  /** Callbacks I promised and have not recorded, soonest first (issue 27). */
  callbacks: Contact[];
  /** The calls I recorded today. */
  calls: Contact[];
  /** Sessions my programmes' schedules held that nobody has recorded, oldest first (issue 29). */
  sessions: SessionToRecord[];
}

const TITLE: Bilingual = { vi: 'Việc của tôi', en: 'My work' };
const NOTHING: Bilingual = { vi: 'Không có', en: 'None' };

export function workPage(v: View, work: Work, holidays: ReadonlySet<string>, now: Date) {
  const { say } = v;
  const list = (items: Array<Case | CaseStatus>) =>
    items.length
      ? html`<ul class="items">
          ${items.map((c) => caseItem(v, c, holidays, now))}
        </ul>`
      : html`<p class="muted">${say(NOTHING)}</p>`;
  const scope: Bilingual =
    v.principal.role === 'social_worker'
      ? { vi: 'Các trường hợp được phân công cho bạn', en: 'Cases assigned to you' }
      : v.principal.role === 'supervisor'
        ? { vi: 'Các trường hợp của đơn vị bạn', en: 'Your unit’s cases' }
        : { vi: 'Các trường hợp trong tỉnh', en: 'The province’s cases' };
  if (v.principal.role === 'collaborator') {
    return consolePage(
      v,
      TITLE,
      html`<h1>${say(TITLE)}</h1>
        <p><a href="/app/intake">${say({ vi: 'Gửi báo cáo mới', en: 'File a new report' })}</a></p>
        <h2>${say({ vi: 'Báo cáo tôi đã gửi', en: 'Reports I filed' })}</h2>
        ${list(work.reports)}`,
    );
  }
  const counts: Array<[Bilingual, number, string]> = [
    [{ vi: 'Quá hạn', en: 'Overdue' }, work.overdue.length, '#overdue'],
    [{ vi: 'Đến hạn hôm nay', en: 'Due today' }, work.today.length, '#today'],
    [{ vi: 'Đến hạn tuần này', en: 'Due this week' }, work.week.length, '#week'],
    [{ vi: 'Đang ở nơi chăm sóc thay thế', en: 'In placement' }, work.placed.length, '#placed'],
    [{ vi: 'Cảnh báo gửi tôi', en: 'Escalations to me' }, work.escalations.length, '#escalations'],
    [{ vi: 'Thông báo chưa đọc', en: 'Unread notices' }, work.notices.length, '#notices'],
    [{ vi: 'Hẹn gọi lại', en: 'Callbacks promised' }, work.callbacks.length, '#callbacks'],
    [{ vi: 'Cuộc gọi hôm nay', en: 'Calls today' }, work.calls.length, '#calls'],
    [{ vi: 'Buổi sinh hoạt cần ghi', en: 'Sessions to record' }, work.sessions.length, '#sessions'],
  ];
  return consolePage(
    v,
    TITLE,
    html`<h1>${say(TITLE)}</h1>
      <p class="muted">${say(scope)}</p>
      <ul class="counts">
        ${counts.map(
          ([label, n, href]) =>
            html`<li>
              <a href="${href}"><strong>${n}</strong>${say(label)}</a>
            </li>`,
        )}
      </ul>
      <h2 id="overdue">${say({ vi: 'Quá hạn', en: 'Overdue' })}</h2>
      ${list(work.overdue)}
      <h2 id="today">${say({ vi: 'Đến hạn hôm nay', en: 'Due today' })}</h2>
      ${list(work.today)}
      <h2 id="week">${say({ vi: 'Đến hạn trong tuần', en: 'Due this week' })}</h2>
      ${list(work.week)}
      <h2 id="placed">${say({ vi: 'Đang ở nơi chăm sóc thay thế', en: 'In placement now' })}</h2>
      ${
        work.placed.length
          ? html`<ul class="items">
              ${work.placed.map(
                (p) =>
                  html`<li>
                    <a href="/app/cases/${p.caseId}"><strong>${p.caseRef}</strong></a> · ${p.carer.name} ${placementBadge(v, p)}
                  </li>`,
              )}
            </ul>`
          : html`<p class="muted">${say(NOTHING)}</p>`
      }
      <h2 id="callbacks">${say({ vi: 'Hẹn gọi lại của tôi', en: 'My promised callbacks' })}</h2>
      ${contactList(v, work.callbacks, now)}
      <h2 id="calls">${say({ vi: 'Cuộc gọi hôm nay', en: 'Calls today' })} · <a href="/app/hotline">${say({ vi: 'Cuộc gọi mới', en: 'New call' })}</a></h2>
      ${contactList(v, work.calls, now)}
      <h2 id="sessions">${say({ vi: 'Buổi sinh hoạt nhóm cần ghi', en: 'Group sessions to record' })}</h2>
      ${
        work.sessions.length
          ? html`<ul class="items">
              ${work.sessions.map(
                (s) =>
                  html`<li>
                    <a href="/app/programmes/${s.programme.id}#attendance"><strong>${s.programme.name}</strong></a> · ${say({ vi: 'buổi', en: 'session of' })}
                    ${s.scheduledOn}
                    <span class="${Date.parse(s.dueAt) <= now.getTime() ? 'overdue' : 'muted'}"
                      >${say({ vi: 'ghi trước', en: 'record by' })} ${dateTime(s.dueAt)}</span
                    >
                  </li>`,
              )}
            </ul>`
          : html`<p class="muted">${say(NOTHING)}</p>`
      }
      <h2 id="escalations">${say({ vi: 'Cảnh báo quá hạn gửi tôi', en: 'Escalations addressed to me' })}</h2>
      ${
        work.escalations.length
          ? html`<ul class="items">
              ${work.escalations.map(
                (e) =>
                  html`<li>
                    <a href="/app/cases/${e.caseId}"><strong>${e.caseRef}</strong></a> · ${say(DEADLINE_STEP_LABELS[e.step])}
                    <span class="overdue">${say({ vi: 'hạn', en: 'was due' })} ${dateTime(e.dueAt)}</span>
                  </li>`,
              )}
            </ul>`
          : html`<p class="muted">${say(NOTHING)}</p>`
      }
      <h2 id="notices">${say({ vi: 'Thông báo chưa đọc', en: 'Unread notices' })}</h2>
      ${
        work.notices.length
          ? html`<ul class="items">
              ${work.notices.map(
                (n) =>
                  html`<li>
                    <span class="muted">${dateTime(n.createdAt)}</span> ${say(n.message)}
                    ${n.caseId && n.caseRef ? html` · <a href="/app/cases/${n.caseId}">${n.caseRef}</a>` : ''}
                    <form method="post" action="/app/notices/${n.id}/read">
                      ${csrfField(v)}<button type="submit">${say({ vi: 'Đã đọc', en: 'Mark read' })}</button>
                    </form>
                  </li>`,
              )}
            </ul>`
          : html`<p class="muted">${say(NOTHING)}</p>`
      }`,
  );
}
