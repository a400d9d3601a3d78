// Báo cáo mới / New report, for a hotline worker at a desk and a collaborator on a 360-px phone: the
// intake form made from the intake's own schema, and beside it, as fields are filled, the person's
// possible earlier cases (search before create; collaborators see none) and the routing the
// published ruleset would give, with its reasons. The answer shows the path, the deadline, who was
// assigned and the partners the routing suggests.
import { html } from 'hono/html';
import type { Case, CaseStatus, RiskDecision } from '../../domain/case';
import { INTAKE_FIELD_LABELS, PARTNER_KIND_LABELS, PATH_LABELS, RISK_LEVEL_LABELS } from '../../domain/labels';
import { IntakeSchema } from '../../domain/intake';
import type { Suggestion } from '../../domain/referral-view';
import { STAGE_LABELS, type Bilingual } from '../../domain/stages';
import type { ApiError } from './api-call';
import { deadlineLine, isFullCase } from './case-bits';
import { dateOnly } from './format';
import { fields, shapeOf } from './schema-form';
import { consolePage, csrfField, refusalOf, type View } from './view';

/** The form: everything but `recordedAt`, which the phone adds to a report that waited on it (issue 30). */
export const INTAKE_SHAPE = shapeOf(IntakeSchema.omit({ recordedAt: true }));
const TITLE: Bilingual = { vi: 'Báo cáo mới', en: 'New report' };

export interface ClientMatch {
  id: string;
  fullName: string;
  birthYear: number | null;
  phone: string | null;
  commune: string | null;
  cases: number;
  lastCaseAt: string;
}

export function intakePage(v: View, o: { key: string; values: unknown; refused?: ApiError; check?: unknown }) {
  const { say } = v;
  const refusal = o.refused && refusalOf(o.refused);
  const expired: Bilingual = {
    vi: 'Phiên đăng nhập đã hết: hãy đăng nhập lại; nội dung đã nhập vẫn được giữ',
    en: 'Your session ended: log in again; what you typed is kept',
  };
  return consolePage(
    v,
    TITLE,
    html`<h1>${say(TITLE)}</h1>
      ${refusal?.alert ?? ''}
      <form
        method="post"
        action="/app/intake"
        data-outbox
        data-draft="intake"
        data-check="/app/intake/check"
        data-check-target="#check"
        ${o.refused ? 'data-refused' : ''}
      >
        ${csrfField(v)}
        <input type="hidden" name="idempotencyKey" value="${o.key}" />
        <input type="hidden" name="writtenBy" value="${v.principal.id}" />
        ${fields(INTAKE_SHAPE, { say, prefix: 'intake', label: (place) => INTAKE_FIELD_LABELS[place.join('.')], values: o.values, errors: refusal?.errors })}
        <section id="check" aria-live="polite" data-expired="${say(expired)}">${o.check ?? ''}</section>
        <button class="primary" type="submit">${say({ vi: 'Tạo trường hợp', en: 'Create the case' })}</button>
      </form>`,
  );
}

/** What the form's live check shows: earlier cases of the person, and the routing it would get. */
export function intakeCheck(v: View, o: { matches?: ClientMatch[]; decision?: RiskDecision; priorCases?: number | null; problem?: string }) {
  const { say } = v;
  const matches =
    o.matches === undefined
      ? ''
      : html`<h2>${say({ vi: 'Có thể đã có hồ sơ', en: 'Possibly known already' })}</h2>
          ${
            o.matches.length
              ? html`<ul class="items">
                  ${o.matches.map(
                    (m) =>
                      html`<li>
                        <a href="/app/clients/${m.id}" target="_blank">${m.fullName}</a>
                        ${m.birthYear ? html` · ${m.birthYear}` : ''}${m.commune ? html` · ${m.commune}` : ''}${m.phone ? html` · ${m.phone}` : ''}
                        <span class="muted">· ${m.cases} ${say({ vi: 'trường hợp, gần nhất', en: 'case(s), latest' })} ${dateOnly(m.lastCaseAt)}</span>
                      </li>`,
                  )}
                </ul>`
              : html`<p class="muted">${say({ vi: 'Không thấy ai trùng tên, điện thoại hoặc năm sinh', en: 'Nobody with this name, phone or birth year' })}</p>`
          }`;
  const d = o.decision;
  const routing = d
    ? html`<h2>${say({ vi: 'Phân luồng dự kiến', en: 'Routing preview' })}</h2>
        <p>
          <strong>${say(PATH_LABELS[d.path])}</strong> · <span class="badge level-${d.level}">${say(RISK_LEVEL_LABELS[d.level])}</span> ·
          ${say({ vi: 'điểm', en: 'score' })} ${d.score}
        </p>
        ${
          d.reasons.length
            ? html`<ul>
                ${d.reasons.map((r) => html`<li>${say(r.note)} (${r.forcesEmergency ? say({ vi: 'buộc khẩn cấp', en: 'forces emergency' }) : `+${r.points}`})</li>`)}
              </ul>`
            : html`<p class="muted">${say({ vi: 'Chưa có dấu hiệu nào được đánh dấu', en: 'No concern marked yet' })}</p>`
        }
        ${o.priorCases ? html`<p>${say({ vi: 'Số trường hợp trước đây của người này', en: 'Earlier cases of this person' })}: ${o.priorCases}</p>` : ''}`
    : o.problem
      ? html`<p class="muted">${o.problem}</p>`
      : '';
  return html`${matches}${routing}`;
}

/** The answer to a created report: where it went, by when, to whom, and what the routing suggests. */
export function intakeDone(v: View, created: Case | CaseStatus, o: { suggested: Suggestion[]; holidays: ReadonlySet<string>; now: Date }) {
  const { say } = v;
  const title: Bilingual = { vi: `Đã tạo ${created.ref}`, en: `Created ${created.ref}` };
  if (!isFullCase(created)) {
    return consolePage(
      v,
      title,
      html`<h1>${say(title)}</h1>
        <p class="notice" role="status">${say({ vi: 'Cảm ơn. Báo cáo đã được tiếp nhận.', en: 'Thank you. The report was received.' })}</p>
        <dl>
          <dt>${say({ vi: 'Mã trường hợp', en: 'Reference' })}</dt>
          <dd>${created.ref}</dd>
          <dt>${say({ vi: 'Tình trạng', en: 'Status' })}</dt>
          <dd>${say(STAGE_LABELS[created.stage])}</dd>
        </dl>
        <p><a href="/app">${say({ vi: 'Về trang việc của tôi', en: 'Back to my work' })}</a></p>`,
      { clearDraft: 'intake' },
    );
  }
  const d = created.risk;
  return consolePage(
    v,
    title,
    html`<h1>${say(title)}</h1>
      <p class="notice" role="status">${say({ vi: 'Đã tiếp nhận và phân luồng', en: 'Received and routed' })}</p>
      <dl>
        <dt>${say({ vi: 'Luồng', en: 'Path' })}</dt>
        <dd><strong>${say(PATH_LABELS[d.path])}</strong> · <span class="badge level-${d.level}">${say(RISK_LEVEL_LABELS[d.level])}</span></dd>
        <dt>${say({ vi: 'Việc tiếp theo', en: 'Next step' })}</dt>
        <dd>${say(STAGE_LABELS[created.stage])}</dd>
        <dt>${say({ vi: 'Thời hạn', en: 'Deadline' })}</dt>
        <dd>${deadlineLine(v, created, o.holidays, o.now)}</dd>
        <dt>${say({ vi: 'Người phụ trách', en: 'Assigned to' })}</dt>
        <dd>
          ${created.assignedWorker?.displayName ?? say({ vi: 'chưa phân công', en: 'not assigned yet' })}${created.unit ? html` · ${created.unit.name}` : ''}
        </dd>
      </dl>
      <h2>${say({ vi: 'Lý do phân luồng', en: 'Why this path' })}</h2>
      <ul>
        ${d.reasons.map((r) => html`<li>${say(r.note)}</li>`)}
      </ul>
      <h2>${say({ vi: 'Gợi ý chuyển gửi', en: 'Suggested referrals' })}</h2>
      ${
        o.suggested.length
          ? html`<ul>
              ${o.suggested.map(
                (s) =>
                  html`<li>
                    ${s.kind in PARTNER_KIND_LABELS ? say(PARTNER_KIND_LABELS[s.kind as keyof typeof PARTNER_KIND_LABELS]) : s.kind}:
                    ${s.partners.length ? s.partners.map((p) => p.name).join(', ') : say({ vi: 'chưa có đối tác phù hợp', en: 'no matching partner yet' })}
                  </li>`,
              )}
            </ul>`
          : html`<p class="muted">${say({ vi: 'Không có', en: 'None' })}</p>`
      }
      <p><a href="/app/cases/${created.id}">${say({ vi: 'Mở trang trường hợp', en: 'Open the case' })} ${created.ref}</a></p>`,
    { clearDraft: 'intake' },
  );
}
