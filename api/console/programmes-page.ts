// Sinh hoạt nhóm / Programmes (issue 29): the programmes of my unit first, then the province's,
// each with its members, schedule and last session; a programme's page with its members (those who
// stopped coming in red), its recent sessions, an enrol form, an outcome form per member and the
// attendance of a session on a phone: one row per current member with a large present/absent
// toggle, saved in one post; its next session by the schedule; for a manager, the edit, close and
// reopen forms (programme-edit.ts). Everything is read and written through the API's /programmes
// routes (api/routes/programmes.ts), with its roles, scope (G3) and refusals.
import { html, raw } from 'hono/html';
import type { Bilingual } from '../../domain/stages';
import {
  ABSENCES_FLAGGED,
  ENROLMENT_OUTCOME_LABELS,
  EnrolmentOutcomeSchema,
  NewEnrolmentSchema,
  PROGRAMME_KIND_LABELS,
  type Enrolment,
  type Programme,
  type Session,
} from '../../domain/programmes';
import { dateOnly } from './format';
import { closedNotice, manageSection, PROGRAMME_FIELD_LABELS, programmeLabel as label, programmeShape, type EditState, type Refused } from './programme-edit';
import { nextSessionText, scheduleFields, scheduleInputOf, scheduleText } from './programme-schedule';
import { fields, shapeOf } from './schema-form';
import { consolePage, csrfField, refusalOf, type View } from './view';

export type ProgrammeDetail = Programme & { enrolments: Enrolment[]; recentSessions: Session[] };
export type { Refused } from './programme-edit';

const TITLE: Bilingual = { vi: 'Sinh hoạt nhóm', en: 'Programmes' };

const day = (d: string) => dateOnly(`${d}T00:00:00+07:00`);
const saved = (v: View, on: boolean) => (on ? html`<p class="notice" role="status">${v.say({ vi: 'Đã lưu', en: 'Saved' })}</p>` : '');

/** A programme's members over its capacity: "9/12" or "9". */
const membersOf = (p: Programme) => (p.capacity === null ? String(p.members) : `${p.members}/${p.capacity}`);

const STYLE = raw(`<style>
.attendance .member { display: grid; grid-template-columns: 1fr 1fr; gap: 0.4rem; border: 0; border-bottom: 1px solid #e1e6ed; border-radius: 0; margin: 0; padding: 0.5rem 0; }
.attendance .member legend { grid-column: 1 / -1; padding: 0; font-weight: 600; float: left; width: 100%; }
.attendance .tap { position: relative; margin: 0; display: flex; align-items: center; justify-content: center; min-height: 3rem; border: 2px solid #6b7585; border-radius: 0.5rem; font-weight: 600; cursor: pointer; user-select: none; }
.attendance .tap input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.attendance .tap.present:has(input:checked) { background: #1f6f43; border-color: #1f6f43; color: #fff; }
.attendance .tap.absent:has(input:checked) { background: #8a1c1c; border-color: #8a1c1c; color: #fff; }
.attendance .tap:has(input:focus-visible) { outline: 3px solid #0b5394; outline-offset: 2px; }
.attendance .guests { display: grid; grid-template-columns: repeat(3, 1fr); gap: 0 0.5rem; }
.attendance button[type='submit'] { width: 100%; min-height: 3.2rem; }
.absences { color: #8a1c1c; font-weight: 700; }
</style>`);

function programmeItem(v: View, p: Programme) {
  const { say } = v;
  return html`<li>
    <a href="/app/programmes/${p.id}"><strong>${p.name}</strong></a> · ${say(PROGRAMME_KIND_LABELS[p.kind])}
    ${p.closedAt ? html` <span class="badge">${say({ vi: 'đã đóng', en: 'closed' })}</span>` : ''}<br />
    <span class="muted"
      >${[
        `${say({ vi: 'Thành viên', en: 'Members' })} ${membersOf(p)}`,
        p.schedule && scheduleText(say, p.schedule),
        `${say({ vi: 'Buổi gần nhất', en: 'Last session' })} ${p.lastSessionOn ? day(p.lastSessionOn) : '—'}`,
        p.unit.name,
      ]
        .filter(Boolean)
        .join(' · ')}</span
    >
  </li>`;
}

export function programmesPage(
  v: View,
  o: {
    mine: Programme[];
    others: Programme[];
    create?: { staff: Array<{ id: string; label: string }>; units: Array<{ value: string; label: string }>; refused?: Refused };
    saved?: boolean;
  },
) {
  const { say } = v;
  const list = (items: Programme[]) =>
    items.length
      ? html`<ul class="items">
          ${items.map((p) => programmeItem(v, p))}
        </ul>`
      : html`<p class="muted">${say({ vi: 'Chưa có chương trình nào', en: 'None yet' })}</p>`;
  let form: unknown = '';
  if (o.create) {
    const refusal = o.create.refused && refusalOf(o.create.refused.error);
    const prefix = 'programmes-create-new';
    form = html`<details id="${prefix}" ${refusal ? 'open' : ''}>
      <summary>${say({ vi: 'Tạo chương trình', en: 'Create a programme' })}</summary>
      ${refusal?.alert ?? ''}
      <form method="post" action="/app/programmes">
        ${csrfField(v)}
        ${fields(programmeShape(o.create.staff), {
          say,
          prefix,
          label,
          values: o.create.refused?.values ?? { unitId: v.principal.unitId ?? (o.create.units.length === 1 ? o.create.units[0]!.value : undefined) },
          errors: refusal?.errors,
          choices: { unitId: o.create.units },
          valueLabels: {
            kind: PROGRAMME_KIND_LABELS,
            facilitators: Object.fromEntries(o.create.staff.map((s) => [s.id, { vi: s.label, en: s.label }])),
          },
        })}
        ${scheduleFields(say, { prefix, input: o.create.refused?.schedule ?? scheduleInputOf(null), errors: refusal?.errors })}
        <button type="submit" class="primary">${say({ vi: 'Tạo chương trình', en: 'Create a programme' })}</button>
      </form>
    </details>`;
  }
  return consolePage(
    v,
    TITLE,
    html`<h1>${say(TITLE)}</h1>
      ${saved(v, o.saved ?? false)} ${form}
      <h2 id="mine">${say({ vi: 'Của đơn vị tôi', en: 'Of my unit' })} (${o.mine.length})</h2>
      ${list(o.mine)}
      <h2 id="others">${say({ vi: 'Của các đơn vị khác trong tỉnh', en: 'Of other units of the province' })} (${o.others.length})</h2>
      ${list(o.others)}`,
  );
}

export interface ProgrammePageState {
  today: string;
  /** Who may record a session (the API decides; this only offers the form). */
  canRecord: boolean;
  facilitatorChoices: Array<{ value: string; label: string }>;
  session?: Refused;
  enrol?: Refused;
  outcome?: Refused & { enrolmentId: string };
  /** A search for a person to enrol: the name asked for, and who was found with their cases. */
  find?: { name: string; clients: Array<{ value: string; label: string }>; cases: Array<{ value: string; label: string; group?: string }> };
  saved?: ProgrammeSaved;
  /** When the page is read: the next session is counted from it. */
  now: Date;
  /** A manager's edit, close and reopen forms. */
  manage?: EditState;
}

export const PROGRAMME_SAVED = ['session', 'enrolment', 'outcome', 'programme', 'unchanged', 'closed', 'reopened'] as const;
export type ProgrammeSaved = (typeof PROGRAMME_SAVED)[number];

const valueAt = (values: unknown, path: Array<string | number>): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), values);

/** The attendance of one session, for a phone: a big present/absent toggle per current member, saved in one post. */
function attendanceForm(v: View, p: ProgrammeDetail, s: ProgrammePageState) {
  const { say } = v;
  const refusal = s.session && refusalOf(s.session.error);
  const values = s.session?.values;
  const current = p.enrolments.filter((e) => e.outcome === null);
  const err = (path: string, id: string) => {
    const m = refusal?.errors.get(path);
    return m ? html`<span class="error" id="${id}-error">${m}</span>` : '';
  };
  const aria = (path: string, id: string) => (refusal?.errors.has(path) ? raw(` aria-invalid="true" aria-describedby="${id}-error"`) : '');
  const given = (path: Array<string | number>, fallback: string) => {
    const x = valueAt(values, path);
    return x === undefined || x === null ? fallback : String(x);
  };
  const facilitator = given(['facilitator'], v.principal.id);
  // A refused post keeps each member's mark by the enrolment, whatever the order.
  const marked = new Map(
    ((valueAt(values, ['attendance']) as Array<{ enrolmentId?: string; present?: boolean }> | undefined) ?? []).map((a) => [a.enrolmentId, a.present]),
  );
  return html`<section id="attendance" class="attendance">
    <h2>${say({ vi: 'Điểm danh buổi sinh hoạt', en: 'Record a session' })}</h2>
    ${refusal?.alert ?? ''}
    <form method="post" action="/app/programmes/${p.id}/sessions">
      ${csrfField(v)}
      <label for="session-heldOn">${say(PROGRAMME_FIELD_LABELS.heldOn!)} <span aria-hidden="true" class="req">*</span></label
      >${err('heldOn', 'session-heldOn')}
      <input type="date" id="session-heldOn" name="heldOn" value="${given(['heldOn'], s.today)}" max="${s.today}" required${aria('heldOn', 'session-heldOn')} />
      <label for="session-topic">${say(PROGRAMME_FIELD_LABELS.topic!)} <span aria-hidden="true" class="req">*</span></label
      >${err('topic', 'session-topic')}
      <input type="text" id="session-topic" name="topic" maxlength="500" value="${given(['topic'], '')}" required${aria('topic', 'session-topic')} />
      <label for="session-facilitator">${say(PROGRAMME_FIELD_LABELS.facilitator!)}</label>${err('facilitator', 'session-facilitator')}
      <select id="session-facilitator" name="facilitator" required${aria('facilitator', 'session-facilitator')}>
        ${s.facilitatorChoices.map((f) => html`<option value="${f.value}" ${f.value === facilitator ? 'selected' : ''}>${f.label}</option>`)}
      </select>
      <h3>${say({ vi: 'Thành viên', en: 'Members' })} (${current.length})</h3>
      ${err('attendance', 'session-attendance')}
      <input type="hidden" name="attendance.rows" value="${current.length}" />
      ${current.map((e, i) => {
        const present = marked.get(e.id) ?? true;
        const id = `mark-${i}`;
        return html`<fieldset class="member" data-enrolment="${e.id}">
          <legend>
            ${e.name}${e.absencesInARow >= ABSENCES_FLAGGED ? html` <span class="absences">· ${say({ vi: 'vắng', en: 'missed' })} ${e.absencesInARow}</span>` : ''}
          </legend>
          ${err(`attendance[${i}].enrolmentId`, id)}
          <input type="hidden" name="attendance.${i}.enrolmentId" value="${e.id}" />
          <label class="tap present" for="${id}-present"
            ><input type="radio" id="${id}-present" name="attendance.${i}.present" value="true" ${present ? 'checked' : ''} />${say({
              vi: 'Có mặt',
              en: 'Present',
            })}</label
          >
          <label class="tap absent" for="${id}-absent"
            ><input type="radio" id="${id}-absent" name="attendance.${i}.present" value="false" ${present ? '' : 'checked'} />${say({
              vi: 'Vắng',
              en: 'Absent',
            })}</label
          >
        </fieldset>`;
      })}
      <fieldset>
        <legend>${say(PROGRAMME_FIELD_LABELS.guests!)}</legend>
        <div class="guests">
          ${(['female', 'male', 'children'] as const).map(
            (g) =>
              html`<div>
                <label for="session-guests-${g}">${say(PROGRAMME_FIELD_LABELS[g]!)}</label>${err(`guests.${g}`, `session-guests-${g}`)}
                <input
                  type="number"
                  inputmode="numeric"
                  min="0"
                  max="100000"
                  id="session-guests-${g}"
                  name="guests.${g}"
                  value="${given(['guests', g], '0')}"
                  ${aria(`guests.${g}`, `session-guests-${g}`)}
                />
              </div>`,
          )}
        </div>
      </fieldset>
      <button type="submit" class="primary">${say({ vi: 'Lưu điểm danh', en: 'Save attendance' })}</button>
    </form>
  </section>`;
}

function outcomeForm(v: View, p: ProgrammeDetail, e: Enrolment, s: ProgrammePageState) {
  const mine = s.outcome?.enrolmentId === e.id ? s.outcome : undefined;
  const refusal = mine && refusalOf(mine.error);
  const prefix = `outcome-${e.id}`;
  return html`<details id="${prefix}" ${refusal ? 'open' : ''}>
    <summary>${v.say({ vi: 'Ghi kết quả', en: 'Record the outcome' })}</summary>
    ${refusal?.alert ?? ''}
    <form method="post" action="/app/programmes/${p.id}/enrolments/${e.id}/outcome">
      ${csrfField(v)}
      ${fields(shapeOf(EnrolmentOutcomeSchema), {
        say: v.say,
        prefix,
        label,
        values: mine?.values ?? { on: s.today },
        errors: refusal?.errors,
        valueLabels: { outcome: ENROLMENT_OUTCOME_LABELS },
      })}
      <button type="submit" class="primary">${v.say({ vi: 'Ghi kết quả', en: 'Record the outcome' })}</button>
    </form>
  </details>`;
}

function enrolSection(v: View, p: ProgrammeDetail, s: ProgrammePageState) {
  const { say } = v;
  const refusal = s.enrol && refusalOf(s.enrol.error);
  const prefix = 'enrol';
  const found = s.find;
  return html`<section id="enrol">
    <h2>${say({ vi: 'Ghi danh thành viên', en: 'Enrol a member' })}</h2>
    <form method="get" action="/app/programmes/${p.id}#enrol" role="search">
      <label for="enrol-find">${say({ vi: 'Tìm người được trợ giúp theo tên', en: 'Find a client by name' })}</label>
      <input type="search" id="enrol-find" name="find" value="${found?.name ?? ''}" autocomplete="off" />
      <button type="submit">${say({ vi: 'Tìm', en: 'Search' })}</button>
    </form>
    ${found && !found.clients.length ? html`<p class="muted">${say({ vi: 'Không tìm thấy ai', en: 'Nobody found' })}</p>` : ''}
    ${
      (found && found.clients.length) || refusal
        ? html`${refusal?.alert ?? ''}
            <form method="post" action="/app/programmes/${p.id}/enrolments">
              ${csrfField(v)}
              ${fields(shapeOf(NewEnrolmentSchema), {
                say,
                prefix,
                label,
                values: s.enrol?.values ?? { enrolledOn: s.today, clientId: found?.clients.length === 1 ? found.clients[0]!.value : undefined },
                errors: refusal?.errors,
                choices: { clientId: found?.clients ?? [], caseId: found?.cases ?? [] },
              })}
              <button type="submit" class="primary">${say({ vi: 'Ghi danh', en: 'Enrol' })}</button>
            </form>`
        : ''
    }
  </section>`;
}

export function programmePage(v: View, p: ProgrammeDetail, s: ProgrammePageState) {
  const { say } = v;
  const title: Bilingual = { vi: p.name, en: p.name };
  const names = new Map(p.enrolments.map((e) => [e.id, e.name]));
  const current = p.enrolments.filter((e) => e.outcome === null);
  const ended = p.enrolments.filter((e) => e.outcome !== null);
  const note = {
    session: { vi: 'Đã lưu điểm danh', en: 'Attendance saved' },
    enrolment: { vi: 'Đã ghi danh', en: 'Enrolled' },
    outcome: { vi: 'Đã ghi kết quả', en: 'Outcome recorded' },
    programme: { vi: 'Đã lưu thay đổi', en: 'Changes saved' },
    unchanged: { vi: 'Không có gì thay đổi', en: 'Nothing was changed' },
    closed: { vi: 'Đã đóng chương trình', en: 'The programme is closed' },
    reopened: { vi: 'Đã mở lại chương trình', en: 'The programme is open again' },
  } satisfies Record<ProgrammeSaved, Bilingual>;
  const member = (e: Enrolment) =>
    html`<li data-enrolment="${e.id}">
      ${e.clientId ? html`<a href="/app/clients/${e.clientId}"><strong>${e.name}</strong></a>` : html`<strong>${e.name}</strong>`}
      ${e.caseId ? html` · <a href="/app/cases/${e.caseId}">${say({ vi: 'trường hợp', en: 'case' })}</a>` : ''}<br />
      <span class="${e.absencesInARow >= ABSENCES_FLAGGED ? 'absences' : 'muted'}" data-absences="${e.absencesInARow}"
        >${say({ vi: 'Vắng liên tiếp', en: 'Missed in a row' })}: ${e.absencesInARow}</span
      >
      <span class="muted">· ${say({ vi: 'Đã dự', en: 'Attended' })}: ${e.attended}</span>
      ${
        e.outcome
          ? html` ·
              <span class="badge">${say(ENROLMENT_OUTCOME_LABELS[e.outcome])}</span>${e.outcomeOn ? html` <span class="muted">${day(e.outcomeOn)}</span>` : ''}`
          : ''
      }
      ${e.outcome || p.closedAt ? '' : outcomeForm(v, p, e, s)}
    </li>`;
  return consolePage(
    v,
    title,
    html`${STYLE}
      <h1>${p.name}</h1>
      ${s.saved ? html`<p class="notice" role="status">${say(note[s.saved])}</p>` : ''}
      <p>
        ${say(PROGRAMME_KIND_LABELS[p.kind])} · ${p.unit.name} ${p.closedAt ? html` <span class="badge">${say({ vi: 'đã đóng', en: 'closed' })}</span>` : ''}
      </p>
      ${closedNotice(v, p)}
      <dl>
        <dt>${say(PROGRAMME_FIELD_LABELS.facilitators!)}</dt>
        <dd>${p.facilitators.map((f) => f.displayName).join(', ') || '—'}</dd>
        <dt>${say({ vi: 'Lịch', en: 'Schedule' })}</dt>
        <dd>${scheduleText(say, p.schedule)}</dd>
        <dt>${say({ vi: 'Buổi tới', en: 'Next session' })}</dt>
        <dd id="next-session">${nextSessionText(say, p.nextSessionAt)}</dd>
        <dt>${say({ vi: 'Thành viên', en: 'Members' })}</dt>
        <dd>${membersOf(p)}</dd>
        <dt>${say({ vi: 'Thời gian', en: 'Dates' })}</dt>
        <dd>${day(p.startsOn)}${p.endsOn ? ` – ${day(p.endsOn)}` : ''}</dd>
        ${
          p.description
            ? html`<dt>${say(PROGRAMME_FIELD_LABELS.description!)}</dt>
                <dd>${p.description}</dd>`
            : ''
        }
      </dl>
      ${s.manage ? manageSection(v, p, s.manage) : ''} ${s.canRecord && !p.closedAt ? attendanceForm(v, p, s) : ''}
      <h2 id="members">${say({ vi: 'Thành viên', en: 'Members' })} (${current.length})</h2>
      ${
        current.length
          ? html`<ul class="items">
              ${current.map(member)}
            </ul>`
          : html`<p class="muted">${say({ vi: 'Chưa có ai', en: 'Nobody yet' })}</p>`
      }
      ${
        ended.length
          ? html`<h2 id="former">${say({ vi: 'Đã kết thúc tham gia', en: 'Former members' })} (${ended.length})</h2>
              <ul class="items">
                ${ended.map(member)}
              </ul>`
          : ''
      }
      <h2 id="sessions">${say({ vi: 'Các buổi gần đây', en: 'Recent sessions' })} (${p.recentSessions.length})</h2>
      ${
        p.recentSessions.length
          ? html`<ul class="items">
              ${p.recentSessions.map((x) => {
                const absent = x.attendance.filter((a) => !a.present).map((a) => names.get(a.enrolmentId) ?? '');
                const guests = x.guests.female + x.guests.male + x.guests.children;
                const counts = [
                  `${say({ vi: 'Có mặt', en: 'Present' })} ${x.present}`,
                  `${say({ vi: 'Vắng', en: 'Absent' })} ${x.absent}`,
                  guests &&
                    `${say({ vi: 'Khách', en: 'Guests' })} ${guests} (${(['female', 'male', 'children'] as const).map((g) => `${say(PROGRAMME_FIELD_LABELS[g]!)} ${x.guests[g]}`).join(', ')})`,
                  x.facilitator.displayName,
                ];
                return html`<li data-session="${x.id}">
                  <strong>${day(x.heldOn)}</strong> · ${x.topic}<br />
                  <span class="muted">${counts.filter(Boolean).join(' · ')}</span>
                  ${absent.length ? html`<br /><span class="muted">${say({ vi: 'Vắng', en: 'Absent' })}: ${absent.join(', ')}</span>` : ''}
                </li>`;
              })}
            </ul>`
          : html`<p class="muted">${say({ vi: 'Chưa có buổi nào', en: 'None yet' })}</p>`
      }
      ${p.closedAt ? '' : enrolSection(v, p, s)}
      <p><a href="/app/programmes">${say({ vi: 'Về danh sách', en: 'Back to the list' })}</a></p>`,
  );
}

/** A client's programmes, on their page: each with its kind, and what became of them there. */
export type ClientProgramme = { programme: Programme; enrolment: Enrolment };
export function clientProgrammes(v: View, items: ClientProgramme[]) {
  const { say } = v;
  return html`<h2 id="programmes">${say(TITLE)} (${items.length})</h2>
    ${
      items.length
        ? html`<ul class="items">
            ${items.map(
              ({ programme: p, enrolment: e }) =>
                html`<li>
                  <a href="/app/programmes/${p.id}"><strong>${p.name}</strong></a> · ${say(PROGRAMME_KIND_LABELS[p.kind])}<br />
                  <span class="muted"
                    >${say({ vi: 'Tham gia từ', en: 'Since' })} ${day(e.enrolledOn)} · ${say({ vi: 'Đã dự', en: 'Attended' })} ${e.attended}</span
                  >
                  ${e.absencesInARow >= ABSENCES_FLAGGED ? html` · <span class="absences">${say({ vi: 'Vắng liên tiếp', en: 'Missed in a row' })} ${e.absencesInARow}</span>` : ''}
                  ${e.outcome ? html` · <span class="badge">${say(ENROLMENT_OUTCOME_LABELS[e.outcome])}</span>` : ''}
                </li>`,
            )}
          </ul>`
        : html`<p class="muted">${say({ vi: 'Không tham gia chương trình nào đang mở', en: 'In no open programme' })}</p>`
    }`;
}
