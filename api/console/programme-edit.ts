// A manager's forms of a programme (issue 29): the create form's fields and the edit form, made from
// NewProgrammeSchema with the schedule by hand (programme-schedule.ts), and the close and reopen
// forms. The edit form carries the values it was drawn with, so only what the manager changed is
// sent to PATCH /programmes/{id} (a change made meanwhile by someone else is not undone); emptied
// description, capacity or end day are sent as null. Closing asks for a ticked confirmation.
import { html } from 'hono/html';
import { NewProgrammeSchema, PROGRAMME_KIND_LABELS, type Programme, type ProgrammePatch } from '../../domain/programmes';
import { NESTED_FIELD_LABELS } from '../../domain/labels';
import type { Bilingual } from '../../domain/stages';
import type { ApiError } from './api-call';
import { dateOnly } from './format';
import { readScheduleInput, scheduleFields, scheduleInputOf, scheduleOf, type ScheduleInput } from './programme-schedule';
import { fields, readForm, shapeOf, type PostedForm, type Shape } from './schema-form';
import { csrfField, refusalOf, type View } from './view';

/** Words of the programme, enrolment, outcome and session fields, by name. */
export const PROGRAMME_FIELD_LABELS: Record<string, Bilingual> = {
  name: { vi: 'Tên chương trình', en: 'Name' },
  kind: { vi: 'Loại', en: 'Kind' },
  unitId: { vi: 'Đơn vị', en: 'Unit' },
  description: { vi: 'Mô tả', en: 'Description' },
  facilitators: { vi: 'Người phụ trách', en: 'Facilitators' },
  capacity: { vi: 'Số người tối đa (để trống: không giới hạn)', en: 'Capacity (empty: no limit)' },
  startsOn: { vi: 'Ngày bắt đầu', en: 'Starts on' },
  endsOn: { vi: 'Ngày kết thúc', en: 'Ends on' },
  schedule: { vi: 'Lịch sinh hoạt', en: 'Schedule' },
  clientId: { vi: 'Người tham gia', en: 'Participant' },
  caseId: { vi: 'Trường hợp (không bắt buộc)', en: 'Case (optional)' },
  enrolledOn: { vi: 'Ngày tham gia', en: 'Enrolled on' },
  consent: { vi: 'Sự đồng ý', en: 'Consent' },
  givenBy: NESTED_FIELD_LABELS.givenBy!,
  outcome: { vi: 'Kết quả', en: 'Outcome' },
  on: { vi: 'Ngày', en: 'On' },
  note: { vi: 'Ghi chú', en: 'Note' },
  heldOn: { vi: 'Ngày sinh hoạt', en: 'Held on' },
  topic: { vi: 'Chủ đề', en: 'Topic' },
  facilitator: { vi: 'Người điều phối', en: 'Facilitator' },
  guests: { vi: 'Khách tham dự (không ghi tên)', en: 'Guests (not named)' },
  female: { vi: 'Nữ', en: 'Women' },
  male: { vi: 'Nam', en: 'Men' },
  children: { vi: 'Trẻ em', en: 'Children' },
};
export const programmeLabel = (place: Array<string | number>) => PROGRAMME_FIELD_LABELS[String(place.at(-1))];

/** A refused post, shown again beside its form with what was typed. */
export interface Refused {
  error: ApiError;
  values: unknown;
  /** The schedule as typed (create and edit). */
  schedule?: ScheduleInput;
  /** The edit form's values as it was drawn, kept across a refusal. */
  was?: string;
}

/** A refusal the form itself makes (a schedule half filled in), as the API would say it. */
export const formRefusal = (say: View['say'], path: string, message: Bilingual): ApiError => ({
  code: 'validation_failed',
  message: say({ vi: 'Có trường chưa đúng', en: 'Some fields are not right' }),
  details: [{ path, message: say(message) }],
});

/**
 * The fields of the create form, from NewProgrammeSchema but for the schedule (by hand):
 * facilitators ticked among the province's staff; without the unit for the edit form.
 */
export function programmeShape(staff: Array<{ id: string }>, o: { unit: boolean } = { unit: true }): Shape {
  const shape = shapeOf(NewProgrammeSchema);
  const properties = Object.fromEntries(Object.entries(shape.properties ?? {}).filter(([k]) => k !== 'schedule' && (o.unit || k !== 'unitId')));
  return {
    ...shape,
    properties: { ...properties, facilitators: { type: 'array', minItems: 1, items: { type: 'string', enum: staff.map((s) => s.id) } } },
    required: shape.required?.filter((k) => k in properties),
  };
}

/** A posted create form: the body for POST /programmes, or the schedule's own refusal. */
export function readNewProgramme(say: View['say'], form: PostedForm, staff: string[]) {
  const body = readForm(programmeShape(staff.map((id) => ({ id }))), form);
  const schedule = readScheduleInput(form);
  const read = scheduleOf(schedule);
  if (read.ok && read.schedule) body.schedule = read.schedule;
  return { body, schedule, refusal: read.ok ? undefined : formRefusal(say, read.path, read.message) };
}

type Edited = Pick<ProgrammePatch, 'name' | 'kind' | 'description' | 'facilitators' | 'capacity' | 'startsOn' | 'endsOn' | 'schedule'>;

/** What the edit form shows of a programme, as PATCH takes it. */
export function editedOf(p: Programme): Edited {
  return {
    name: p.name,
    kind: p.kind,
    description: p.description,
    facilitators: p.facilitators.map((f) => f.id),
    capacity: p.capacity,
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    schedule: p.schedule,
  };
}

/** Equal as the API stores them: facilitators as a set, a schedule by its fields. */
function same(key: keyof Edited, a: unknown, b: unknown): boolean {
  const norm = (x: unknown) =>
    key === 'facilitators' && Array.isArray(x)
      ? JSON.stringify([...(x as string[])].sort())
      : JSON.stringify(x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).sort(([k1], [k2]) => k1.localeCompare(k2))) : (x ?? null));
  return norm(a) === norm(b);
}

/**
 * A posted edit form: every field as PATCH takes it (emptied ones null; a required one emptied as
 * '', for the API to name), then only those that differ from the values the form was drawn with.
 */
export function readProgrammeEdit(say: View['say'], form: PostedForm, staff: string[]) {
  const typed = readForm(
    programmeShape(
      staff.map((id) => ({ id })),
      { unit: false },
    ),
    form,
  );
  const schedule = readScheduleInput(form);
  const read = scheduleOf(schedule);
  const all: Record<string, unknown> = {
    name: typed.name ?? '',
    kind: typed.kind ?? '',
    description: typed.description ?? null,
    facilitators: typed.facilitators ?? [],
    capacity: typed.capacity ?? null,
    startsOn: typed.startsOn ?? '',
    endsOn: typed.endsOn ?? null,
    ...(read.ok ? { schedule: read.schedule } : {}),
  };
  const was = typeof form.was === 'string' ? form.was : '';
  let before: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(was) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) before = parsed as Record<string, unknown>;
  } catch {
    before = undefined;
  }
  const patch = Object.fromEntries(Object.entries(all).filter(([k, v]) => !before || !(k in before) || !same(k as keyof Edited, v, before[k])));
  return { all, patch, schedule, was, refusal: read.ok ? undefined : formRefusal(say, read.path, read.message) };
}

export interface EditState {
  /** The province's staff who may run it (and its facilitators now), to tick. */
  staff: Array<{ id: string; label: string }>;
  edit?: Refused;
  close?: Refused;
}

/** The edit form, a <details> like the create form, drawn with the programme's values (or what was typed). */
export function editForm(v: View, p: Programme, s: EditState) {
  const { say } = v;
  const refusal = s.edit && refusalOf(s.edit.error);
  const prefix = 'programme-edit';
  const now = editedOf(p);
  const values = s.edit?.values ?? now;
  return html`<details id="${prefix}" ${refusal ? 'open' : ''}>
    <summary>${say({ vi: 'Sửa chương trình', en: 'Edit the programme' })}</summary>
    ${refusal?.alert ?? ''}
    <form method="post" action="/app/programmes/${p.id}/edit">
      ${csrfField(v)}
      <input type="hidden" name="was" value="${s.edit?.was ?? JSON.stringify(now)}" />
      ${fields(programmeShape(s.staff, { unit: false }), {
        say,
        prefix,
        label: programmeLabel,
        values,
        errors: refusal?.errors,
        valueLabels: { kind: PROGRAMME_KIND_LABELS, facilitators: Object.fromEntries(s.staff.map((f) => [f.id, { vi: f.label, en: f.label }])) },
      })}
      ${scheduleFields(say, { prefix, input: s.edit?.schedule ?? scheduleInputOf(p.schedule), errors: refusal?.errors })}
      <button type="submit" class="primary">${say({ vi: 'Lưu thay đổi', en: 'Save the changes' })}</button>
    </form>
  </details>`;
}

/** Closing, after a ticked confirmation; a closed programme says since when and offers to reopen it. */
export function closeForm(v: View, p: Programme, s: EditState) {
  const { say } = v;
  if (p.closedAt) {
    return html`${s.close ? refusalOf(s.close.error).alert : ''}
      <form method="post" action="/app/programmes/${p.id}/reopen" id="programme-reopen">
        ${csrfField(v)}
        <button type="submit">${say({ vi: 'Mở lại chương trình', en: 'Reopen the programme' })}</button>
      </form>`;
  }
  const refusal = s.close && refusalOf(s.close.error);
  const problem = refusal?.errors.get('confirm');
  return html`<details id="programme-close" ${refusal ? 'open' : ''}>
    <summary>${say({ vi: 'Đóng chương trình', en: 'Close the programme' })}</summary>
    ${refusal && !problem ? refusal.alert : ''}
    <p class="muted">
      ${say({
        vi: 'Khi đã đóng, không ghi danh thêm và không ghi buổi sinh hoạt mới; thành viên và các buổi đã ghi vẫn được giữ. Có thể mở lại sau.',
        en: 'Once closed, nobody more is enrolled and no session is recorded; its members and sessions are kept. It can be reopened.',
      })}
    </p>
    <form method="post" action="/app/programmes/${p.id}/close">
      ${csrfField(v)}
      <label class="check" for="programme-close-confirm"
        ><input
          type="checkbox"
          id="programme-close-confirm"
          name="confirm"
          value="yes"
          required
          ${problem ? html`aria-invalid="true" aria-describedby="programme-close-confirm-error"` : ''}
        />
        ${say({ vi: `Tôi xác nhận đóng chương trình “${p.name}”`, en: `I confirm closing “${p.name}”` })}</label
      >${problem ? html`<span class="error" id="programme-close-confirm-error">${problem}</span>` : ''}
      <button type="submit" class="decline">${say({ vi: 'Đóng chương trình', en: 'Close the programme' })}</button>
    </form>
  </details>`;
}

/** "Đã đóng ngày 14/06/2026", for everyone who reads the programme. */
export const closedNotice = (v: View, p: Programme) =>
  p.closedAt ? html`<p class="notice closed" id="programme-closed">${v.say({ vi: 'Đã đóng ngày', en: 'Closed on' })} ${dateOnly(p.closedAt)}</p>` : '';

/** The manager's part of a programme's page. */
export function manageSection(v: View, p: Programme, s: EditState) {
  return html`<section id="manage">
    <h2>${v.say({ vi: 'Quản lý chương trình', en: 'Manage the programme' })}</h2>
    ${editForm(v, p, s)} ${closeForm(v, p, s)}
  </section>`;
}
