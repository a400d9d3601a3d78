// The pages of those who hold the process's gates and its safety net: the approvals inbox (plans
// and closures for managers, lower risks to confirm for supervisors and managers), the board of
// open escalations (and the temporary separations past their legal limit, issue 28), and the work
// that keeps failing. Decisions, reassignments and transfers are the catalogue's actions, as forms
// in place (action-form.ts).
import { html } from 'hono/html';
import type { StuckRow } from '../../db/stuck';
import { ACTIONS, type ActionName } from '../../domain/actions';
import type { Case } from '../../domain/case';
import { CONCERN_LABELS, DEADLINE_STEP_LABELS, PATH_LABELS, RISK_LEVEL_LABELS } from '../../domain/labels';
import type { ConcernKey } from '../../domain/concerns';
import type { PlacementView } from '../../domain/placement-view';
import type { Bilingual } from '../../domain/stages';
import { actionForm } from './action-form';
import type { Choices } from './choices';
import { dateTime, remaining } from './format';
import { placementBadge, placementTerm } from './placement-bits';
import type { Escalation } from './work-page';
import { consolePage, type View } from './view';

/** A request awaiting a decision, with what its requester wrote. */
export interface Request {
  kind: 'plan' | 'closure' | 'risk';
  subject: Case;
  requestedAt: string;
  requestedBy: string | null;
  /** The reasons a supervisor gave for clearing concerns (from the case's review). */
  cleared?: Array<{ concern: ConcernKey; reason: string }>;
}

const DECISION: Record<Request['kind'], ActionName> = { plan: 'planDecision', closure: 'closureDecision', risk: 'riskDecision' };
const KIND_WORDS: Record<Request['kind'], Bilingual> = {
  plan: { vi: 'Kế hoạch chờ thông qua', en: 'Plans awaiting approval' },
  closure: { vi: 'Đề xuất kết thúc chờ duyệt', en: 'Closures awaiting approval' },
  risk: { vi: 'Mức nguy cơ thấp hơn chờ xác nhận', en: 'Lower risks awaiting confirmation' },
};
const NONE: Bilingual = { vi: 'Không có', en: 'None' };

function written(v: View, r: Request) {
  const { say } = v;
  const c = r.subject;
  if (r.kind === 'plan' && c.plan) {
    return html`<p>${say({ vi: 'Mục tiêu', en: 'Goals' })}:</p>
      <ul>
        ${c.plan.goals.map((g) => html`<li>${g}</li>`)}
      </ul>
      ${
        c.interventions.length
          ? html`<p>${say({ vi: 'Hoạt động', en: 'Interventions' })}:</p>
              <ul>
                ${c.interventions.map((i) => html`<li><strong>${i.type}</strong>: ${i.description}</li>`)}
              </ul>`
          : ''
      }`;
  }
  if (r.kind === 'closure' && c.closure) {
    return html`<dl>
      <dt>${say({ vi: 'Lý do', en: 'Reason' })}</dt>
      <dd>${c.closure.reason}</dd>
      <dt>${say({ vi: 'Kết quả đạt được', en: 'Outcome' })}</dt>
      <dd>${c.closure.outcome}</dd>
    </dl>`;
  }
  if (r.kind === 'risk' && c.pendingRisk) {
    const d = c.pendingRisk.decision;
    return html`<p>
        ${say({ vi: 'Từ', en: 'From' })}
        <span class="badge level-${c.risk.level}">${say(RISK_LEVEL_LABELS[c.risk.level])}</span> ${say(PATH_LABELS[c.risk.path])}
        ${say({ vi: 'xuống', en: 'to' })} <span class="badge level-${d.level}">${say(RISK_LEVEL_LABELS[d.level])}</span> ${say(PATH_LABELS[d.path])}
      </p>
      ${
        r.cleared?.length
          ? html`<ul>
              ${r.cleared.map((x) => html`<li>${say(CONCERN_LABELS[x.concern])}: ${x.reason}</li>`)}
            </ul>`
          : ''
      }`;
  }
  return '';
}

export function approvalsPage(v: View, requests: Request[], done?: { name: ActionName; caseRef?: string }) {
  const { say } = v;
  const title: Bilingual = { vi: 'Chờ duyệt', en: 'Approvals' };
  const kinds = (['plan', 'closure', 'risk'] as const).filter((k) => (ACTIONS[DECISION[k]].roles as readonly string[]).includes(v.principal.role));
  return consolePage(
    v,
    title,
    html`<h1>${say(title)}</h1>
      ${done ? html`<p class="notice" role="status">${say({ vi: `Đã ghi: ${ACTIONS[done.name].label.vi}`, en: `Done: ${ACTIONS[done.name].label.en}` })} ${done.caseRef ?? ''}</p>` : ''}
      ${kinds.map((kind) => {
        const mine = requests.filter((r) => r.kind === kind);
        return html`<h2>${say(KIND_WORDS[kind])} (${mine.length})</h2>
          ${
            mine.length
              ? html`<ul class="items">
                  ${mine.map((r) => {
                    const own = r.requestedBy === v.principal.id;
                    return html`<li>
                      <a href="/app/cases/${r.subject.id}"><strong>${r.subject.ref}</strong> ${r.subject.intake?.client.fullName ?? ''}</a>
                      <span class="muted">· ${dateTime(r.requestedAt)}</span> ${placementBadge(v, r.subject.placedNow)} ${written(v, r)}
                      ${
                        own
                          ? html`<p class="muted">${say({ vi: 'Đề xuất của bạn: người khác sẽ duyệt', en: 'Your own request: someone else decides' })}</p>`
                          : actionForm(v, r.subject.id, { name: DECISION[kind] }, { back: '/app/approvals' })
                      }
                    </li>`;
                  })}
                </ul>`
              : html`<p class="muted">${say(NONE)}</p>`
          }`;
      })}`,
  );
}

/** The temporary separations past their limit in the reader's scope (P1): each with its case, carer and days past. */
function overduePlacements(v: View, placements: PlacementView[]) {
  const { say } = v;
  return html`<section id="placements-overdue" aria-labelledby="placements-overdue-title">
    <h2 id="placements-overdue-title">${say({ vi: 'Tạm thời cách ly quá thời hạn', en: 'Temporary separations past their limit' })} (${placements.length})</h2>
    ${
      placements.length
        ? html`<ul class="items">
            ${placements.map((p) => {
              const term = placementTerm(p);
              return html`<li>
                <a href="/app/cases/${p.caseId}"><strong>${p.caseRef}</strong></a> · ${placementBadge(v, p)}<br />
                ${p.carer.name} ·
                ${p.carer.commune}${p.carer.phone ? html` · <a href="tel:${p.carer.phone.replace(/[^\d+]/g, '')}">${p.carer.phone}</a>` : ''}<br />
                <span class="overdue">${say({ vi: 'hạn', en: 'limit' })} ${p.endsBy ? dateTime(p.endsBy) : '—'}${term ? html` (${say(term.words)})` : ''}</span>
              </li>`;
            })}
          </ul>`
        : html`<p class="muted">${say(NONE)}</p>`
    }
  </section>`;
}

export function escalationsPage(
  v: View,
  board: Array<{ escalation: Escalation; choices: Choices }>,
  now: Date,
  done?: { name: ActionName; caseRef?: string },
  overdue: PlacementView[] = [],
) {
  const { say } = v;
  const title: Bilingual = { vi: 'Việc quá hạn được báo lên', en: 'Escalations' };
  const units = [...new Set(board.map((b) => b.escalation.unit?.name ?? '—'))].sort();
  const may = (name: ActionName) => (ACTIONS[name].roles as readonly string[]).includes(v.principal.role);
  return consolePage(
    v,
    title,
    html`<h1>${say(title)}</h1>
      ${done ? html`<p class="notice" role="status">${say({ vi: `Đã ghi: ${ACTIONS[done.name].label.vi}`, en: `Done: ${ACTIONS[done.name].label.en}` })} ${done.caseRef ?? ''}</p>` : ''}
      ${overduePlacements(v, overdue)} ${board.length ? '' : html`<p class="muted">${say(NONE)}</p>`}
      ${units.map(
        (unit) =>
          html`<h2>${unit}</h2>
            ${(['manager', 'supervisor'] as const).map((level) => {
              const here = board.filter((b) => (b.escalation.unit?.name ?? '—') === unit && b.escalation.level === level);
              if (!here.length) return '';
              const levelWords: Bilingual =
                level === 'manager' ? { vi: 'Đã báo Ban Giám đốc', en: 'Called the managers' } : { vi: 'Đã báo trưởng phòng', en: 'Called the supervisor' };
              return html`<h3>${say(levelWords)} (${here.length})</h3>
                <ul class="items">
                  ${here.map(({ escalation: e, choices }) => {
                    const late = remaining(e.dueAt, now, new Set());
                    return html`<li>
                      <a href="/app/cases/${e.caseId}"><strong>${e.caseRef}</strong></a> · ${say(DEADLINE_STEP_LABELS[e.step])} ·
                      <span class="overdue">${say({ vi: 'hạn', en: 'due' })} ${dateTime(e.dueAt)} (${say(late.words)})</span><br />
                      ${say({ vi: 'Phụ trách', en: 'Held by' })}: ${e.assignedWorker?.displayName ?? say({ vi: 'chưa phân công', en: 'nobody' })}
                      ${may('assign') ? actionForm(v, e.caseId, { name: 'assign' }, { back: '/app/escalations', choices }) : ''}
                      ${may('transfer') ? actionForm(v, e.caseId, { name: 'transfer' }, { back: '/app/escalations', choices }) : ''}
                    </li>`;
                  })}
                </ul>`;
            })}`,
      )}`,
  );
}

export function stuckPage(v: View, items: StuckRow[]) {
  const { say } = v;
  const title: Bilingual = { vi: 'Việc bị kẹt', en: 'Stuck work' };
  return consolePage(
    v,
    title,
    html`<h1>${say(title)}</h1>
      <p class="muted">
        ${say({
          vi: 'Các bước của trường hợp cứ thất bại và vẫn đang được thử lại (ít nhất 30 giây một lần). Sửa nguyên nhân, chúng sẽ tự chạy tiếp.',
          en: 'Steps of cases that keep failing and are still being retried (at least every 30 s). Fix the cause and they go on by themselves.',
        })}
      </p>
      ${
        items.length
          ? html`<ul class="items">
              ${items.map(
                (s) =>
                  html`<li>
                    ${s.caseId ? html`<a href="/app/cases/${s.caseId}">${say({ vi: 'Trường hợp', en: 'Case' })}</a> · ` : ''}<code>${s.activity}</code> ·
                    ${s.attempts} ${say({ vi: 'lần thử', en: 'attempts' })} · ${say({ vi: 'từ', en: 'since' })} ${dateTime(s.since)}<br />
                    <span class="error">${s.lastError}</span>
                  </li>`,
              )}
            </ul>`
          : html`<p class="muted">${say({ vi: 'Không có việc nào bị kẹt', en: 'Nothing is stuck' })}</p>`
      }`,
  );
}
