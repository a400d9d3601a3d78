// Tổng đài / Hotline (issue 27): a page made for a call in progress. Keyboard first — every field
// in the order a call goes, reached with Tab; Enter saves (Shift+Enter for a new line in the
// summary); the call type picked by its first letter; a running timer that fills the duration —
// and beside it, as fields are filled, the routing its facts would get, a red line when saving it
// will open an emergency case (C1), and the known client it may be about. Below: today's calls.
// The contact's own page: its story, the callback to record, a case to open, a correction.
import { html } from 'hono/html';
import type { RiskDecision } from '../../domain/case';
import type { Contact, ContactEvent, PossibleClient } from '../../domain/contacts';
import { ContactCorrectionSchema, NewContactSchema } from '../../domain/contacts';
import {
  CALL_TYPE_LABELS,
  CALLER_RELATION_LABELS,
  CATEGORY_LABELS,
  CONCERN_LABELS,
  CONTACT_CHANNEL_LABELS,
  CONTACT_EVENT_LABELS,
  CONTACT_FIELD_LABELS,
  CONTACT_OUTCOME_LABELS,
  GENDER_LABELS,
  PATH_LABELS,
  RISK_LEVEL_LABELS,
} from '../../domain/labels';
import { STAGE_LABELS, type Bilingual, type Stage } from '../../domain/stages';
import type { ApiError } from './api-call';
import { dateTime, localInput, remaining } from './format';
import { fields, shapeOf, type Shape } from './schema-form';
import { consolePage, csrfField, refusalOf, type View } from './view';

export const CONTACT_SHAPE = shapeOf(NewContactSchema);
export const CORRECTION_SHAPE = shapeOf(ContactCorrectionSchema);
export const HOTLINE_TITLE: Bilingual = { vi: 'Tổng đài', en: 'Hotline' };

/** The form's fields in the order a call goes: who calls and why, about whom, what was said, what was done. */
const CALL_ORDER = ['callType', 'caller', 'about', 'concerns'] as const;
/** After the live check, which sits right below the concerns, where danger is marked. */
const RECORD_ORDER = ['topics', 'summary', 'outcome'] as const;
/** Told apart from the call's own fields: the channel and the timer's duration, at the end. */
const DESK_ORDER = ['channel', 'durationMinutes'] as const;

const pick = (shape: Shape, keys: readonly string[]): Shape => ({
  ...shape,
  properties: Object.fromEntries(keys.flatMap((k) => (shape.properties?.[k] ? [[k, shape.properties[k]]] : []))),
});

const label = (place: Array<string | number>) => CONTACT_FIELD_LABELS[place.filter((p) => typeof p === 'string').join('.')];

export interface HotlineForm {
  key: string;
  startedAt: string;
  values: Record<string, unknown>;
  refused?: ApiError;
  today: Contact[];
  now: Date;
}

export function hotlinePage(v: View, o: HotlineForm) {
  const { say } = v;
  const refusal = o.refused && refusalOf(o.refused);
  const ctx = (keys: readonly string[]) => fields(pick(CONTACT_SHAPE, keys), { say, prefix: 'contact', label, values: o.values, errors: refusal?.errors });
  const callbackBy = typeof o.values.callbackBy === 'string' ? o.values.callbackBy : undefined;
  const callbackError = refusal?.errors.get('callbackBy');
  return consolePage(
    v,
    HOTLINE_TITLE,
    html`<h1>${say(HOTLINE_TITLE)}</h1>
      ${refusal?.alert ?? ''}
      <form
        method="post"
        action="/app/hotline"
        class="call"
        data-draft="hotline"
        data-check="/app/hotline/check"
        data-check-target="#call-check"
        data-enter-submits
        data-timer="${o.startedAt}"
        ${o.refused ? 'data-refused' : ''}
      >
        ${csrfField(v)}
        <input type="hidden" name="idempotencyKey" value="${o.key}" />
        <input type="hidden" name="startedAt" value="${o.startedAt}" />
        <p class="timer" role="timer" aria-live="off">${say({ vi: 'Thời gian cuộc gọi', en: 'Call time' })}: <output data-timer-display>00:00</output></p>
        <p class="hint">
          ${say({
            vi: 'Tab để sang ô sau · gõ chữ cái đầu để chọn loại cuộc gọi · Enter để lưu (Shift+Enter xuống dòng)',
            en: 'Tab to the next field · type the first letter to pick the call type · Enter saves (Shift+Enter for a new line)',
          })}
        </p>
        ${ctx(CALL_ORDER)}
        <section
          id="call-check"
          aria-live="polite"
          data-expired="${say({ vi: 'Phiên đăng nhập đã hết: hãy đăng nhập lại', en: 'Your session ended: log in again' })}"
        ></section>
        ${ctx(RECORD_ORDER)}
        <label for="contact-callbackBy">${say(CONTACT_FIELD_LABELS.callbackBy!)}</label>
        ${callbackError ? html`<span class="error" id="contact-callbackBy-error">${callbackError}</span>` : ''}
        <input type="datetime-local" id="contact-callbackBy" name="callbackBy" value="${localInput(callbackBy)}" />
        <span class="hint">${say({ vi: 'Chỉ khi hẹn gọi lại', en: 'Only when a callback is promised' })}</span>
        ${ctx(DESK_ORDER)}
        <button class="primary" type="submit">${say({ vi: 'Lưu cuộc gọi', en: 'Save the call' })}</button>
      </form>
      <h2 id="today">${say({ vi: 'Cuộc gọi hôm nay của tôi', en: 'My calls today' })} (${o.today.length})</h2>
      ${contactList(v, o.today, o.now)}`,
  );
}

/** The live check: the routing the call's facts would get, the red line of C1, the known client. */
export function hotlineCheck(v: View, o: { routing?: RiskDecision | null; opensCase?: boolean; possibleClient?: PossibleClient | null; problem?: string }) {
  const { say } = v;
  const d = o.routing;
  const c1 = o.opensCase
    ? html`<p class="alert danger" role="alert">
        <strong>${say({ vi: 'Cuộc gọi này sẽ mở một trường hợp khẩn cấp', en: 'This call will open an emergency case' })}</strong>
        ${say({
          vi: '— dù chọn kết quả nào: trẻ em hay người đang gặp nguy hiểm không bao giờ chỉ được ghi là "đã tư vấn".',
          en: '— whatever outcome is chosen: a person in danger is never filed as advice.',
        })}
      </p>`
    : '';
  const routing = d
    ? html`<p>
          ${say({ vi: 'Phân luồng dự kiến', en: 'Routing preview' })}: <strong>${say(PATH_LABELS[d.path])}</strong> ·
          <span class="badge level-${d.level}">${say(RISK_LEVEL_LABELS[d.level])}</span>
        </p>
        <ul>
          ${d.reasons.map((r) => html`<li>${say(r.note)}</li>`)}
        </ul>`
    : o.problem
      ? html`<p class="muted">${o.problem}</p>`
      : html`<p class="muted">
          ${say({ vi: 'Chưa đủ thông tin để chấm nguy cơ (cần tuổi hoặc một dấu hiệu)', en: 'Not enough to score yet (an age or a concern)' })}
        </p>`;
  return html`${c1}${routing}${possibleClientLine(v, o.possibleClient ?? null)}`;
}

function possibleClientLine(v: View, known: PossibleClient | null) {
  const { say } = v;
  if (!known) return '';
  return html`<div class="notice">
    <strong>${say({ vi: 'Có thể là người đã biết', en: 'Possibly someone known' })}</strong>
    ${
      known.cases.length
        ? html`<ul>
            ${known.cases.map((c) => html`<li><a href="/app/cases/${c.id}" target="_blank">${c.ref}</a> · ${stageWords(v, c.stage)}</li>`)}
          </ul>`
        : ''
    }
    ${known.restricted ? html`<p>${say({ vi: 'Có hồ sơ hạn chế xem: hỏi trưởng phòng', en: 'There is a restricted case: ask the supervisor' })}</p>` : ''}
  </div>`;
}

const stageWords = (v: View, stage: string) => (stage in STAGE_LABELS ? v.say(STAGE_LABELS[stage as Stage]) : stage);

/** Contacts as a list: reference, time, type, outcome, and a callback's time left. */
export function contactList(v: View, items: Contact[], now: Date) {
  const { say } = v;
  if (items.length === 0) return html`<p class="muted">${say({ vi: 'Không có', en: 'None' })}</p>`;
  return html`<ul class="items">
    ${items.map(
      (k) =>
        html`<li>
          <a href="/app/contacts/${k.id}"><strong>${k.ref}</strong></a> · <span class="muted">${dateTime(k.startedAt)}</span> ·
          ${say(CALL_TYPE_LABELS[k.callType])} · ${say(CONTACT_OUTCOME_LABELS[k.outcome])} ${callbackLeft(v, k, now)}
        </li>`,
    )}
  </ul>`;
}

/** A promised callback's time left (or how late it is), in the words of the work list. */
export function callbackLeft(v: View, k: Contact, now: Date) {
  if (!k.callback || k.callback.status !== 'open') return '';
  const left = remaining(k.callback.dueAt, now, new Set());
  return html`·
    <span class="${left.overdue ? 'overdue' : ''}">${v.say({ vi: 'gọi lại', en: 'call back' })} ${dateTime(k.callback.dueAt)} (${v.say(left.words)})</span>`;
}

export interface ContactDetail extends Contact {
  possibleClient: PossibleClient | null;
  history: ContactEvent[];
}

/** One contact: what was said and done, its story, and what may still be done with it. */
export function contactPage(v: View, k: ContactDetail, o: { now: Date; refused?: ApiError; saved?: Bilingual }) {
  const { say } = v;
  const refusal = o.refused && refusalOf(o.refused);
  const title: Bilingual = { vi: `Cuộc gọi ${k.ref}`, en: `Contact ${k.ref}` };
  const words = <K extends string>(labels: Record<K, Bilingual>, key: K | undefined) => (key ? say(labels[key]) : '—');
  const about = k.about;
  const c1 = k.history.find((e) => e.kind === 'contact.case_opened' && e.data.rule === 'C1');
  return consolePage(
    v,
    title,
    html`<h1>${say(title)}</h1>
      ${o.saved ? html`<p class="notice" role="status">${say(o.saved)}</p>` : ''} ${refusal?.alert ?? ''}
      ${
        k.caseId
          ? html`<p class="${c1 ? 'alert' : 'notice'}" role="status">
              ${
                c1
                  ? say({ vi: 'Quy tắc C1: cuộc gọi này đã mở một trường hợp khẩn cấp', en: 'Rule C1: this call opened an emergency case' })
                  : say({ vi: 'Cuộc gọi này đã thành một trường hợp', en: 'This call became a case' })
              }
              — <a href="/app/cases/${k.caseId}">${say({ vi: 'mở trường hợp', en: 'open the case' })}</a>
            </p>`
          : ''
      }
      <dl>
        <dt>${say(CONTACT_FIELD_LABELS.callType!)}</dt>
        <dd>${words(CALL_TYPE_LABELS, k.callType)} · ${words(CONTACT_CHANNEL_LABELS, k.channel)}</dd>
        <dt>${say(CONTACT_FIELD_LABELS.startedAt!)}</dt>
        <dd>${dateTime(k.startedAt)}${k.durationMinutes !== null ? ` · ${k.durationMinutes} ${say({ vi: 'phút', en: 'min' })}` : ''}</dd>
        <dt>${say(CONTACT_FIELD_LABELS.caller!)}</dt>
        <dd>
          ${k.caller.anonymous ? say({ vi: 'Giấu tên', en: 'Anonymous' }) : (k.caller.fullName ?? '—')}${k.caller.phone ? ` · ${k.caller.phone}` : ''}
          ${k.caller.relation ? html` · ${words(CALLER_RELATION_LABELS, k.caller.relation)}` : ''}
        </dd>
        <dt>${say(CONTACT_FIELD_LABELS.about!)}</dt>
        <dd>
          ${
            about
              ? html`${about.fullName ?? '—'}${about.age !== undefined ? ` · ${about.age} ${say({ vi: 'tuổi', en: 'years' })}` : ''}${about.birthYear ? ` · ${about.birthYear}` : ''}${
                  about.gender ? html` · ${words(GENDER_LABELS, about.gender)}` : ''
                }${about.location?.commune ? ` · ${about.location.commune}` : ''}`
              : '—'
          }
        </dd>
        <dt>${say(CONTACT_FIELD_LABELS.topics!)}</dt>
        <dd>${k.topics.length ? k.topics.map((t) => say(CATEGORY_LABELS[t])).join(', ') : '—'}</dd>
        <dt>${say(CONTACT_FIELD_LABELS.concerns!)}</dt>
        <dd>
          ${
            Object.entries(k.concerns)
              .filter(([, yes]) => yes)
              .map(([c]) => say(CONCERN_LABELS[c as keyof typeof CONCERN_LABELS]))
              .join(', ') || '—'
          }
        </dd>
        <dt>${say(CONTACT_FIELD_LABELS.summary!)}</dt>
        <dd>${k.summary}</dd>
        <dt>${say(CONTACT_FIELD_LABELS.outcome!)}</dt>
        <dd>${words(CONTACT_OUTCOME_LABELS, k.outcome)} ${callbackLeft(v, k, o.now)}</dd>
        ${
          k.routing
            ? html`<dt>${say({ vi: 'Phân luồng', en: 'Routing' })}</dt>
                <dd>${say(PATH_LABELS[k.routing.path])} · ${say(RISK_LEVEL_LABELS[k.routing.level])}</dd>`
            : ''
        }
        <dt>${say({ vi: 'Người ghi', en: 'Recorded by' })}</dt>
        <dd>${k.recordedBy.displayName}${k.unit ? ` · ${k.unit.name}` : ''}</dd>
      </dl>
      ${possibleClientLine(v, k.possibleClient)}
      ${
        k.callback?.status === 'open'
          ? html`<h2 id="callback">${say({ vi: 'Ghi lại cuộc gọi lại', en: 'Record the callback' })}</h2>
              <form method="post" action="/app/contacts/${k.id}/callback">
                ${csrfField(v)}
                <label class="check" for="cb-reached"
                  ><input type="checkbox" id="cb-reached" name="reachedPerson" value="true" /> ${say(CONTACT_FIELD_LABELS.reachedPerson!)}</label
                >
                <label for="cb-summary">${say(CONTACT_FIELD_LABELS.summary!)} <span class="req">*</span></label>
                <textarea id="cb-summary" name="summary" required maxlength="10000"></textarea>
                <label for="cb-outcome">${say(CONTACT_FIELD_LABELS.outcome!)}</label>
                <select id="cb-outcome" name="outcome">
                  ${(['advice_given', 'referred', 'no_action'] as const).map((o) => html`<option value="${o}">${say(CONTACT_OUTCOME_LABELS[o])}</option>`)}
                </select>
                <button class="primary" type="submit">${say({ vi: 'Ghi cuộc gọi lại', en: 'Record the callback' })}</button>
              </form>`
          : ''
      }
      ${
        k.caseId
          ? ''
          : html`<h2 id="open-case">${say({ vi: 'Mở trường hợp từ cuộc gọi này', en: 'Open a case from this call' })}</h2>
              <form method="post" action="/app/contacts/${k.id}/case">
                ${csrfField(v)}
                <p class="hint">
                  ${say({
                    vi: 'Thông tin của cuộc gọi được dùng lại; chỉ cần thêm điều còn thiếu.',
                    en: 'The call’s facts are reused; add only what is missing.',
                  })}
                </p>
                <label for="oc-name">${say(CONTACT_FIELD_LABELS['about.fullName']!)}</label>
                <input type="text" id="oc-name" name="client.fullName" maxlength="200" value="${about?.fullName ?? ''}" />
                <label for="oc-commune">${say(CONTACT_FIELD_LABELS['about.location.commune']!)}</label>
                <input type="text" id="oc-commune" name="client.location.commune" maxlength="100" value="${about?.location?.commune ?? ''}" />
                <button type="submit">${say({ vi: 'Mở trường hợp', en: 'Open a case' })}</button>
              </form>`
      }
      <details>
        <summary>${say({ vi: 'Sửa nội dung hoặc kết quả', en: 'Correct the summary or outcome' })}</summary>
        <form method="post" action="/app/contacts/${k.id}">
          ${csrfField(v)}
          ${fields(pick(CORRECTION_SHAPE, ['summary', 'outcome']), {
            say,
            prefix: 'correct',
            label,
            values: { summary: k.summary, outcome: k.outcome === 'case_opened' ? undefined : k.outcome },
            errors: refusal?.errors,
          })}
          <label for="correct-callbackBy">${say(CONTACT_FIELD_LABELS.callbackBy!)}</label>
          <input type="datetime-local" id="correct-callbackBy" name="callbackBy" />
          <button type="submit">${say({ vi: 'Lưu sửa đổi', en: 'Save the correction' })}</button>
        </form>
      </details>
      <h2>${say({ vi: 'Diễn biến', en: 'History' })}</h2>
      <ul class="items">
        ${k.history.map(
          (e) =>
            html`<li>
              <span class="muted">${dateTime(e.at)}</span> ·
              ${e.kind in CONTACT_EVENT_LABELS ? say(CONTACT_EVENT_LABELS[e.kind]!) : e.kind}${e.actor ? html` · ${e.actor.displayName}` : ''}
            </li>`,
        )}
      </ul>
      <p><a href="/app/hotline">${say({ vi: 'Cuộc gọi mới', en: 'New call' })}</a></p>`,
  );
}

export interface ContactLogFilter {
  from?: string;
  to?: string;
  callType?: string;
  outcome?: string;
}

/**
 * Sổ tổng đài / The contact log: the calls and visits in your scope (a supervisor the unit's, a
 * manager the province's), newest first, by day, call type and outcome — the paper log's place.
 */
export function contactLogPage(v: View, o: { items: Contact[]; filter: ContactLogFilter; next: string | null; now: Date }) {
  const { say } = v;
  const title: Bilingual = { vi: 'Sổ tổng đài', en: 'Contact log' };
  const given = Object.entries(o.filter).filter((e): e is [string, string] => typeof e[1] === 'string');
  const query = (extra: Record<string, string>) => new URLSearchParams([...given, ...Object.entries(extra)]).toString();
  const choice = <K extends string>(name: string, labels: Record<K, Bilingual>, chosen?: string) =>
    html`<select id="log-${name}" name="${name}">
      <option value="">${say({ vi: '— tất cả —', en: '— all —' })}</option>
      ${(Object.keys(labels) as K[]).map((k) => html`<option value="${k}" ${chosen === k ? 'selected' : ''}>${say(labels[k])}</option>`)}
    </select>`;
  return consolePage(
    v,
    title,
    html`<h1>${say(title)}</h1>
      <p><a href="/app/hotline">${say({ vi: 'Cuộc gọi mới', en: 'New call' })}</a></p>
      <form method="get" action="/app/contacts" class="filters">
        <label for="log-from">${say({ vi: 'Từ ngày', en: 'From' })}</label>
        <input type="date" id="log-from" name="from" value="${o.filter.from ?? ''}" />
        <label for="log-to">${say({ vi: 'Đến ngày', en: 'To' })}</label>
        <input type="date" id="log-to" name="to" value="${o.filter.to ?? ''}" />
        <label for="log-callType">${say(CONTACT_FIELD_LABELS.callType!)}</label>
        ${choice('callType', CALL_TYPE_LABELS, o.filter.callType)}
        <label for="log-outcome">${say(CONTACT_FIELD_LABELS.outcome!)}</label>
        ${choice('outcome', CONTACT_OUTCOME_LABELS, o.filter.outcome)}
        <button type="submit">${say({ vi: 'Xem', en: 'Show' })}</button>
      </form>
      ${contactList(v, o.items, o.now)}
      ${o.next ? html`<p><a href="/app/contacts?${query({ cursor: o.next })}">${say({ vi: 'Trang sau', en: 'Next page' })}</a></p>` : ''}`,
  );
}
