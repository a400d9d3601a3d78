// /app/cases/{id}: one case as the person may see it. Staff see its reference and person, the stage
// on the path of the process, the risk with its reasons and history (and a lower risk waiting for
// confirmation), the deadline and what remains, the intake, plan and interventions, reviews,
// referrals and the timeline; where the person is placed now and was before (issue 28); and the
// actions they may take now, each a form made from the action catalogue (domain/actions.ts,
// domain/action-bodies.ts). A collaborator sees the status only. Its forms and case file (issue 31)
// are listed to be read, printed and downloaded (api/routes/console-case-file.ts).
import { html } from 'hono/html';
import { ACTIONS } from '../../domain/actions';
import type { Case, CaseStatus, RiskDecision } from '../../domain/case';
import {
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  CONCERN_LABELS,
  EVENT_LABELS,
  GENDER_LABELS,
  INTERVENTION_STATUS_LABELS,
  PATH_LABELS,
  RISK_LEVEL_LABELS,
  VALUE_LABELS,
} from '../../domain/labels';
import type { ReferralView } from '../../domain/referral-view';
import { REFERRAL_STATUS_LABELS } from '../../domain/referrals';
import { STAGE_LABELS, STAGES, type Bilingual, type Stage } from '../../domain/stages';
import type { ConcernKey } from '../../domain/concerns';
import { actionForm, formKey, type Offer, type Refused } from './action-form';
import type { ApiError } from './api-call';
import { deadlineLine, isFullCase, riskBadge } from './case-bits';
import type { Choices } from './choices';
import type { Offers } from './offers';
import { placementBadge, placementSection } from './placement-bits';
import { interventionProgramme, otherGroupWork, type ProgrammeNames } from './plan-groups';
import { dateTime } from './format';
import { consolePage, refusalOf, type View } from './view';

export interface TimelineEvent {
  seq: number;
  at: string;
  actor: string | null;
  kind: string;
  data: Record<string, unknown>;
}

/** What GET /cases/{id}/forms answers: the forms the case can print now, and its whole file. */
export interface CaseForms {
  items: Array<{ form: string; title: Bilingual; step: string; href: string }>;
  file: { href: string };
}

export interface CasePageData {
  subject: Case | CaseStatus;
  timeline: TimelineEvent[];
  referrals: ReferralView[];
  offers: Offers;
  choices: Choices;
  holidays: ReadonlySet<string>;
  now: Date;
  /** Names of the programmes the plan's interventions name before their enrolment is made (issue 29). */
  programmeNames?: ProgrammeNames;
  /** The forms it can print now; none when the API did not answer them (the section is left out). */
  forms?: CaseForms;
  /** The action just taken (after its redirect), to say so and forget its kept draft. */
  done?: Offer;
  refused?: Refused;
}

/** The stages a case passes through, in order, on its path; `erased` is shown only when it is one. */
function stagePath(v: View, stage: Stage, emergency: boolean) {
  const shown = STAGES.filter((s) => (s !== 'erased' || stage === 'erased') && (s !== 'emergency_response' || emergency));
  const at = shown.indexOf(stage);
  return html`<ol class="stages" aria-label="${v.say({ vi: 'Các bước', en: 'Stages' })}">
    ${shown.map((s, i) => html`<li class="${i < at ? 'done' : ''}" ${i === at ? html`aria-current="step"` : ''}>${v.say(STAGE_LABELS[s])}</li>`)}
  </ol>`;
}

function riskLine(v: View, r: RiskDecision) {
  return html`<span class="badge level-${r.level}">${v.say(RISK_LEVEL_LABELS[r.level])}</span> · ${v.say(PATH_LABELS[r.path])} ·
    ${v.say({ vi: 'điểm', en: 'score' })} ${r.score}`;
}

const said = (v: View, field: string, value: unknown) => {
  const words = typeof value === 'string' ? VALUE_LABELS[field]?.[value] : undefined;
  return words ? v.say(words) : String(value ?? '');
};

function statusView(v: View, s: CaseStatus) {
  const title: Bilingual = { vi: `Trường hợp ${s.ref}`, en: `Case ${s.ref}` };
  return consolePage(
    v,
    title,
    html`<h1>${v.say(title)}</h1>
      ${stagePath(v, s.stage, s.stage === 'emergency_response')}
      <dl>
        <dt>${v.say({ vi: 'Tình trạng', en: 'Status' })}</dt>
        <dd>${v.say(STAGE_LABELS[s.stage])}</dd>
        <dt>${v.say({ vi: 'Tiếp nhận', en: 'Received' })}</dt>
        <dd>${dateTime(s.createdAt)}</dd>
        <dt>${v.say({ vi: 'Cập nhật', en: 'Updated' })}</dt>
        <dd>${dateTime(s.updatedAt)}</dd>
      </dl>`,
  );
}

/** The forms of the Decree's steps the case has reached, each to read and print or as a PDF; and the whole file. */
function formsSection(v: View, caseId: string, forms: CaseForms) {
  const { say } = v;
  const base = `/app/cases/${encodeURIComponent(caseId)}`;
  return html`<section id="case-file">
    <h2>${say({ vi: 'Hồ sơ, biểu mẫu', en: 'Forms and case file' })}</h2>
    ${
      forms.items.length
        ? html`<ul class="items">
            ${forms.items.map((f) => {
              const href = `${base}/forms/${encodeURIComponent(f.form)}`;
              // The links say what they open to a screen reader too: the form's title describes them.
              const id = `file-form-${f.form}`;
              return html`<li>
                <span id="${id}">${say(f.title)}</span> · <a href="${href}" aria-describedby="${id}">${say({ vi: 'Xem, in', en: 'View, print' })}</a> ·
                <a href="${href}?format=pdf" aria-describedby="${id}">PDF</a>
              </li>`;
            })}
          </ul>`
        : html`<p class="muted">${say({ vi: 'Chưa có biểu mẫu nào', en: 'No form yet' })}</p>`
    }
    <p>
      <a href="${base}/file?format=pdf">${say({ vi: 'Toàn bộ hồ sơ (PDF)', en: 'The whole case file (PDF)' })}</a> ·
      <a href="${base}/file?format=zip">ZIP (PDF + JSON)</a>
    </p>
  </section>`;
}

export function casePage(v: View, d: CasePageData) {
  const { say } = v;
  if (!isFullCase(d.subject)) return statusView(v, d.subject);
  const c = d.subject;
  const title: Bilingual = { vi: `Trường hợp ${c.ref}`, en: `Case ${c.ref}` };
  const intake = c.intake;
  const client = intake?.client;
  const risks = d.timeline.filter((e) => e.data.risk && typeof e.data.risk === 'object');
  const reviews = d.timeline.filter((e) => e.kind === 'review.recorded');
  const concerns = (Object.keys(c.concerns) as ConcernKey[]).filter((k) => c.concerns[k]);
  const itemForms = (id: string) => (d.offers.onItems.get(id) ?? []).map((o) => actionForm(v, c.id, o, { choices: d.choices, refused: d.refused }));
  const done = d.done && ACTIONS[d.done.name].label;
  const groupWork = otherGroupWork(v, c);
  const doneWords = done ? say({ vi: `Đã ghi: ${done.vi}`, en: `Done: ${done.en}` }) : '';
  return consolePage(
    v,
    title,
    html`<h1>${c.ref} · ${client?.fullName ?? say({ vi: '(đã xoá)', en: '(erased)' })}</h1>
      ${doneWords ? html`<p class="notice" role="status">${doneWords}</p>` : ''}
      ${d.refused ? html`<p class="alert" role="alert"><a href="#act-${c.id}-${formKey(d.refused.offer)}">${d.refused.error.message}</a></p>` : ''}
      ${stagePath(v, c.stage, c.risk.path === 'emergency' || c.stage === 'emergency_response')}
      <dl>
        <dt>${say({ vi: 'Nguy cơ', en: 'Risk' })}</dt>
        <dd>${riskBadge(v, c)} · ${say({ vi: 'điểm', en: 'score' })} ${c.risk.score}</dd>
        <dt>${say({ vi: 'Thời hạn', en: 'Deadline' })}</dt>
        <dd>${deadlineLine(v, c, d.holidays, d.now)}</dd>
        <dt>${say({ vi: 'Phụ trách', en: 'Assigned to' })}</dt>
        <dd>${c.assignedWorker?.displayName ?? say({ vi: 'chưa phân công', en: 'not assigned' })}${c.unit ? html` · ${c.unit.name}` : ''}</dd>
        ${
          c.placement
            ? html`<dt>${say({ vi: 'Nơi ở hiện tại', en: 'Placed with' })}</dt>
                <dd><a href="#placement">${c.placement.carer.name}</a> ${placementBadge(v, c.placement)}</dd>`
            : ''
        }
        ${
          c.restricted
            ? html`<dt>${say({ vi: 'Quyền xem', en: 'Access' })}</dt>
                <dd>${say({ vi: 'Hạn chế', en: 'Restricted' })}</dd>`
            : ''
        }
        ${
          c.possibleRepeat
            ? html`<dt>${say({ vi: 'Báo cáo lặp lại', en: 'Repeat report' })}</dt>
                <dd>
                  ${c.possibleRepeatOf ? html`<a href="/app/cases/${c.possibleRepeatOf}">${say({ vi: 'trường hợp đang mở', en: 'the open case' })}</a>` : say({ vi: 'có', en: 'yes' })}
                </dd>`
            : ''
        }
        ${
          c.clientId
            ? html`<dt>${say({ vi: 'Người được trợ giúp', en: 'Client' })}</dt>
                <dd><a href="/app/clients/${c.clientId}">${say({ vi: 'mọi trường hợp của người này', en: 'all their cases' })}</a></dd>`
            : ''
        }
      </dl>

      <h2>${say({ vi: 'Việc có thể làm', en: 'What you can do' })}</h2>
      ${
        d.offers.onCase.length
          ? d.offers.onCase.map((o) => actionForm(v, c.id, o, { choices: d.choices, refused: d.refused }))
          : html`<p class="muted">${say({ vi: 'Không có thao tác nào lúc này', en: 'Nothing to do here now' })}</p>`
      }
      ${
        d.offers.placing || c.placements?.length
          ? placementSection(v, c, {
              placing: d.offers.placing,
              onCurrent: c.placement ? (d.offers.onItems.get(c.placement.id) ?? []) : [],
              choices: d.choices,
              refused: d.refused,
              now: d.now,
            })
          : ''
      }

      <h2>${say({ vi: 'Lý do mức nguy cơ', en: 'Why this risk' })}</h2>
      <ul>
        ${c.risk.reasons.map((r) => html`<li>${say(r.note)} (${r.forcesEmergency ? say({ vi: 'buộc khẩn cấp', en: 'forces emergency' }) : `+${r.points}`})</li>`)}
      </ul>
      ${
        c.pendingRisk
          ? html`<div class="alert">
              <p>
                <strong>${say({ vi: 'Mức nguy cơ thấp hơn đang chờ xác nhận', en: 'A lower risk awaits confirmation' })}:</strong>
                ${riskLine(v, c.pendingRisk.decision)} · ${dateTime(c.pendingRisk.requestedAt)}
              </p>
            </div>`
          : ''
      }
      ${
        risks.length > 1
          ? html`<details>
              <summary>${say({ vi: 'Lịch sử mức nguy cơ', en: 'Risk history' })}</summary>
              <ul class="items">
                ${risks.map((e) => html`<li>${dateTime(e.at)} · ${riskLine(v, e.data.risk as RiskDecision)} · ${say(EVENT_LABELS[e.kind] ?? { vi: e.kind, en: e.kind })}</li>`)}
              </ul>
            </details>`
          : ''
      }

      <h2>${say({ vi: 'Tiếp nhận', en: 'Intake' })}</h2>
      ${
        intake && client
          ? html`<dl>
              <dt>${say({ vi: 'Kênh', en: 'Channel' })}</dt>
              <dd>${say(CHANNEL_LABELS[intake.channel])} · ${dateTime(c.createdAt)}</dd>
              ${
                // A report that waited on a phone with no signal (issue 30): when it was written, and how late it came.
                intake.recordedAt
                  ? html`<dt>${say({ vi: 'Viết lúc (chưa có mạng)', en: 'Written at (offline)' })}</dt>
                      <dd class="${Date.parse(c.createdAt) - Date.parse(intake.recordedAt) > 3_600_000 ? 'overdue' : ''}">
                        ${dateTime(intake.recordedAt)} · ${say({ vi: 'nhận lúc', en: 'received' })} ${dateTime(c.createdAt)}
                      </dd>`
                  : ''
              }
              ${
                intake.reporter
                  ? html`<dt>${say({ vi: 'Người báo tin', en: 'Reporter' })}</dt>
                      <dd>
                        ${intake.reporter.name}${intake.reporter.phone ? html` · ${intake.reporter.phone}` : ''}${intake.reporter.organisation ? html` · ${intake.reporter.organisation}` : ''}
                      </dd>`
                  : ''
              }
              <dt>${say({ vi: 'Người cần trợ giúp', en: 'Client' })}</dt>
              <dd>
                ${client.fullName} ·
                ${say(GENDER_LABELS[client.gender])}${client.birthYear ? html` · ${client.birthYear}` : ''}${
                  client.age !== undefined ? html` · ${client.age} ${say({ vi: 'tuổi', en: 'years' })}` : ''
                }${client.phone ? html` · ${client.phone}` : ''}
              </dd>
              <dt>${say({ vi: 'Nơi ở', en: 'Address' })}</dt>
              <dd>${[client.location.commune, client.location.district, client.location.province].filter(Boolean).join(', ')}</dd>
              <dt>${say({ vi: 'Nhóm đối tượng', en: 'Categories' })}</dt>
              <dd>${intake.categories.map((k) => say(CATEGORY_LABELS[k])).join('; ') || '—'}</dd>
              <dt>${say({ vi: 'Dấu hiệu nguy hiểm', en: 'Concerns' })}</dt>
              <dd>${concerns.map((k) => say(CONCERN_LABELS[k])).join('; ') || '—'}</dd>
              <dt>${say({ vi: 'Nội dung', en: 'What happened' })}</dt>
              <dd>${intake.summary}</dd>
            </dl>`
          : html`<p class="muted">${say({ vi: 'Dữ liệu cá nhân đã được xoá', en: 'The personal data was erased' })}</p>`
      }

      <h2>${say({ vi: 'Kế hoạch can thiệp', en: 'Plan' })}</h2>
      ${
        c.plan
          ? html`<p>${say({ vi: 'Phiên bản', en: 'Version' })} ${c.plan.version ?? 1}${c.plan.submittedAt ? html` · ${dateTime(c.plan.submittedAt)}` : ''}</p>
              ${c.plan.rejection ? html`<p class="alert">${say({ vi: 'Bị trả lại', en: 'Sent back' })}: ${c.plan.rejection}</p>` : ''}
              <ul>
                ${c.plan.goals.map((g) => html`<li>${g}</li>`)}
              </ul>`
          : html`<p class="muted">${say({ vi: 'Chưa có', en: 'None yet' })}</p>`
      }
      ${
        c.interventions.length || groupWork.length
          ? html`<h3>${say({ vi: 'Hoạt động can thiệp', en: 'Interventions' })}</h3>
              <ul class="items">
                ${c.interventions.map(
                  (i) =>
                    html`<li>
                      <strong>${i.type}</strong> · ${say(INTERVENTION_STATUS_LABELS[i.status])}<br />${i.description}
                      ${interventionProgramme(v, c, i, d.programmeNames ?? new Map())}
                      ${i.outcome ? html`<br /><span class="muted">${say({ vi: 'Kết quả', en: 'Outcome' })}: ${i.outcome}</span>` : ''} ${itemForms(i.id)}
                    </li>`,
                )}
                ${groupWork}
              </ul>`
          : ''
      }

      <h2>${say({ vi: 'Rà soát', en: 'Reviews' })}</h2>
      ${c.nextReviewAt ? html`<p>${say({ vi: 'Lần rà soát tới', en: 'Next review' })}: ${dateTime(c.nextReviewAt)}</p>` : ''}
      ${
        reviews.length
          ? html`<ul class="items">
              ${reviews.map(
                (e) => html`<li>${dateTime(e.at)} · ${e.actor ?? ''} · ${said(v, 'progress', e.data.progress)}<br />${String(e.data.summary ?? '')}</li>`,
              )}
            </ul>`
          : html`<p class="muted">${say({ vi: 'Chưa có', en: 'None yet' })}</p>`
      }

      <h2>${say({ vi: 'Chuyển gửi', en: 'Referrals' })}</h2>
      ${
        d.referrals.length
          ? html`<ul class="items">
              ${d.referrals.map(
                (r) =>
                  html`<li>
                    <strong>${r.partner.name}</strong> · ${r.service} · ${say(REFERRAL_STATUS_LABELS[r.status])}
                    ${r.respondBy && r.status === 'sent' ? html`<br />${say({ vi: 'Trả lời trước', en: 'Answer by' })} ${dateTime(r.respondBy)}` : ''}
                    ${r.outcome ? html`<br />${say({ vi: 'Kết quả', en: 'Outcome' })}: ${r.outcome}` : ''}
                    ${r.declineReason ? html`<br />${say({ vi: 'Lý do từ chối', en: 'Declined because' })}: ${r.declineReason}` : ''} ${itemForms(r.id)}
                  </li>`,
              )}
            </ul>`
          : html`<p class="muted">${say({ vi: 'Chưa có', en: 'None yet' })}</p>`
      }
      ${d.forms ? formsSection(v, c.id, d.forms) : ''}

      <h2>${say({ vi: 'Diễn biến', en: 'Timeline' })}</h2>
      <ol class="items" reversed>
        ${[...d.timeline]
          .reverse()
          .map(
            (e) =>
              html`<li>
                <span class="muted">${dateTime(e.at)}</span> · ${say(EVENT_LABELS[e.kind] ?? { vi: e.kind, en: e.kind })}${e.actor ? html` · ${e.actor}` : ''}
              </li>`,
          )}
      </ol>`,
    // The action just taken is the server's now: its kept draft goes.
    { clearDraft: d.done && `${c.id}-${formKey(d.done)}` },
  );
}

export function caseMissing(v: View) {
  const title: Bilingual = { vi: 'Không tìm thấy trường hợp', en: 'Case not found' };
  return consolePage(
    v,
    title,
    html`<h1>${v.say(title)}</h1>
      <p>${v.say({ vi: 'Trường hợp này không có, hoặc không thuộc phạm vi bạn được xem.', en: 'This case does not exist, or is not yours to see.' })}</p>
      <p><a href="/app">${v.say({ vi: 'Về trang việc của tôi', en: 'Back to my work' })}</a></p>`,
  );
}

/** A form or the case file the API would not give: its words, and the way back to the case. */
export function caseFileRefused(v: View, caseId: string, error: ApiError) {
  const title: Bilingual = { vi: 'Không in được biểu mẫu', en: 'The form cannot be printed' };
  return consolePage(
    v,
    title,
    html`<h1>${v.say(title)}</h1>
      ${refusalOf(error).alert}
      <p><a href="/app/cases/${encodeURIComponent(caseId)}#case-file">${v.say({ vi: '← Về trường hợp', en: '← Back to the case' })}</a></p>`,
  );
}
