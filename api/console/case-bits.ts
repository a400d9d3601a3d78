// Pieces of a case the console shows in more than one place: its reference and person, its stage,
// its risk, its current deadline with what remains, and where the person is placed (issue 28).
import { html } from 'hono/html';
import type { Case, CaseStatus } from '../../domain/case';
import { DEADLINE_STEP_LABELS, PATH_LABELS, RISK_LEVEL_LABELS } from '../../domain/labels';
import { STAGE_LABELS } from '../../domain/stages';
import { dateTime, remaining } from './format';
import { placementBadge } from './placement-bits';
import type { View } from './view';

export const isFullCase = (c: Case | CaseStatus): c is Case => 'risk' in c;

export function riskBadge(v: View, c: Case) {
  return html`<span class="badge level-${c.risk.level}">${v.say(RISK_LEVEL_LABELS[c.risk.level])}</span> ${v.say(PATH_LABELS[c.risk.path])}`;
}

export function deadlineLine(v: View, c: Case, holidays: ReadonlySet<string>, now: Date) {
  if (!c.deadline) return html`<span class="muted">${v.say({ vi: 'Không có hạn', en: 'No deadline' })}</span>`;
  const left = remaining(c.deadline.dueAt, now, holidays);
  return html`${v.say(DEADLINE_STEP_LABELS[c.deadline.step])}: ${dateTime(c.deadline.dueAt)}
    <span class="${left.overdue ? 'overdue' : ''}">(${v.say(left.words)})</span>`;
}

/** One case in a list: reference and person, stage, risk and deadline, and its placement if placed. */
export function caseItem(v: View, c: Case | CaseStatus, holidays: ReadonlySet<string>, now: Date) {
  const stage = v.say(STAGE_LABELS[c.stage]);
  if (!isFullCase(c)) {
    return html`<li><strong>${c.ref}</strong> · ${stage} <span class="muted">· ${dateTime(c.updatedAt)}</span></li>`;
  }
  return html`<li>
    <a href="/app/cases/${c.id}"><strong>${c.ref}</strong> ${c.intake?.client.fullName ?? ''}</a> · ${stage}<br />
    ${riskBadge(v, c)} · ${deadlineLine(v, c, holidays, now)} ${placementBadge(v, c.placedNow)}
  </li>`;
}
