// A programme's schedule in the console (issue 29): weekly `{ weekday, time }` or every N days
// `{ every: "P14D" }` (domain/programmes.ts ScheduleSchema). A union has no form made from the
// schema (schema-form.ts would merge its branches into one group of fields), so the create and
// edit forms share this piece, by hand: a choice of none / weekly / every N days, the fields of each
// shown only while it is chosen (CSS :has, no script; without it all show and the choice decides),
// read back into the schedule the API takes, or null for none.
import { html, raw } from 'hono/html';
import { durationMs } from '../../domain/deadlines';
import { WEEKDAY_LABELS } from '../../domain/labels';
import { vietnamWeekday, WEEKDAYS, type ProgrammeScheduleSpec } from '../../domain/programmes';
import type { Bilingual } from '../../domain/stages';
import { DAY_MS } from '../../domain/vietnam-time';
import { dateTime, type Say } from './format';
import type { PostedForm } from './schema-form';

export const SCHEDULE_KINDS = ['none', 'weekly', 'interval'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** The schedule part of a form as typed: kept as words, so a refused post shows what was typed. */
export interface ScheduleInput {
  kind: ScheduleKind;
  weekday: string;
  time: string;
  /** Days between two sessions. */
  days: string;
  /** A current interval that is no whole number of days ("PT30S", a demonstration's), kept while `days` is left empty. */
  other: string;
}

export const SCHEDULE_WORDS = {
  schedule: { vi: 'Lịch sinh hoạt', en: 'Schedule' },
  none: { vi: 'Không có lịch cố định', en: 'No schedule' },
  weekly: { vi: 'Hằng tuần (thứ và giờ)', en: 'Weekly (day and time)' },
  interval: { vi: 'Cứ N ngày một lần', en: 'Every N days' },
  weekday: { vi: 'Thứ', en: 'Day' },
  time: { vi: 'Giờ bắt đầu (giờ Việt Nam)', en: 'Start time (Vietnam time)' },
  days: { vi: 'Số ngày giữa hai buổi (1–366)', en: 'Days between two sessions (1–366)' },
  choose: { vi: '— chọn —', en: '— choose —' },
} satisfies Record<string, Bilingual>;

const NONE: ScheduleInput = { kind: 'none', weekday: '', time: '', days: '', other: '' };

const wholeDays = (every: string): number | undefined => {
  try {
    const ms = durationMs(every);
    return ms > 0 && ms % DAY_MS === 0 ? ms / DAY_MS : undefined;
  } catch {
    return undefined;
  }
};

/** The form's words for a stored schedule. */
export function scheduleInputOf(s: ProgrammeScheduleSpec | null | undefined): ScheduleInput {
  if (!s) return NONE;
  if ('every' in s) {
    const days = wholeDays(s.every);
    return { ...NONE, kind: 'interval', days: days === undefined ? '' : String(days), other: days === undefined ? s.every : '' };
  }
  return { ...NONE, kind: 'weekly', weekday: s.weekday, time: s.time };
}

const one = (form: PostedForm, name: string): string => {
  const v = form[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first.trim() : '';
};

/** The schedule part of a posted form, as typed. */
export function readScheduleInput(form: PostedForm): ScheduleInput {
  const kind = one(form, 'schedule.kind');
  return {
    kind: (SCHEDULE_KINDS as readonly string[]).includes(kind) ? (kind as ScheduleKind) : 'none',
    weekday: one(form, 'schedule.weekday'),
    time: one(form, 'schedule.time'),
    days: one(form, 'schedule.every'),
    other: one(form, 'schedule.other'),
  };
}

/**
 * The schedule the API takes for what was typed: null for none. What the form itself can tell is
 * wrong (a day not chosen, days not a whole number) is named here, at the API's path for it; the
 * rest (the time's format, the interval's bounds) the API names.
 */
export function scheduleOf(input: ScheduleInput): { ok: true; schedule: ProgrammeScheduleSpec | null } | { ok: false; path: string; message: Bilingual } {
  if (input.kind === 'none') return { ok: true, schedule: null };
  if (input.kind === 'weekly') {
    if (!(WEEKDAYS as readonly string[]).includes(input.weekday))
      return { ok: false, path: 'schedule.weekday', message: { vi: 'hãy chọn thứ trong tuần', en: 'choose a day of the week' } };
    if (!input.time) return { ok: false, path: 'schedule.time', message: { vi: 'hãy nhập giờ, dạng HH:MM', en: 'enter a time, as HH:MM' } };
    return { ok: true, schedule: { weekday: input.weekday as (typeof WEEKDAYS)[number], time: input.time } };
  }
  if (!input.days && input.other) return { ok: true, schedule: { every: input.other } };
  if (!/^\d{1,3}$/.test(input.days) || Number(input.days) < 1 || Number(input.days) > 366)
    return { ok: false, path: 'schedule.every', message: { vi: 'một số ngày nguyên, từ 1 đến 366', en: 'a whole number of days, from 1 to 366' } };
  return { ok: true, schedule: { every: `P${Number(input.days)}D` } };
}

const STYLE = raw(`<style>
fieldset.schedule .when { margin: 0 0 0.4rem 1.7rem; }
fieldset.schedule:not(:has(input[name='schedule.kind'][value='weekly']:checked)) .when.weekly,
fieldset.schedule:not(:has(input[name='schedule.kind'][value='interval']:checked)) .when.interval { display: none; }
input[type='time'] { display: block; width: 100%; font: inherit; padding: 0.45rem; margin: 0.2rem 0 0.4rem; border: 1px solid #6b7585; border-radius: 0.3rem; }
</style>`);

/** The schedule part of a form: ids `${prefix}-schedule-…`, names `schedule.…`, refusals by the API's paths. */
export function scheduleFields(say: Say, o: { prefix: string; input: ScheduleInput; errors?: ReadonlyMap<string, string> }) {
  const { prefix, input } = o;
  const id = (part: string) => `${prefix}-schedule-${part}`;
  const problem = (path: string, part: string) => {
    const m = o.errors?.get(path);
    return m ? html`<span class="error" id="${id(part)}-error">${m}</span>` : '';
  };
  const aria = (path: string, part: string) => (o.errors?.has(path) ? raw(` aria-invalid="true" aria-describedby="${id(part)}-error"`) : '');
  const choice = (kind: ScheduleKind) =>
    html`<label class="check" for="${id(`kind-${kind}`)}"
      ><input type="radio" id="${id(`kind-${kind}`)}" name="schedule.kind" value="${kind}" ${input.kind === kind ? 'checked' : ''} />
      ${say(SCHEDULE_WORDS[kind])}</label
    >`;
  return html`${STYLE}
    <fieldset class="group schedule" id="${id('group')}">
      <legend>${say(SCHEDULE_WORDS.schedule)}</legend>
      ${problem('schedule', 'group')} ${choice('none')} ${choice('weekly')}
      <div class="when weekly">
        <label for="${id('weekday')}">${say(SCHEDULE_WORDS.weekday)}</label>${problem('schedule.weekday', 'weekday')}
        <select id="${id('weekday')}" name="schedule.weekday" ${aria('schedule.weekday', 'weekday')}>
          <option value="">${say(SCHEDULE_WORDS.choose)}</option>
          ${WEEKDAYS.map((d) => html`<option value="${d}" ${input.weekday === d ? 'selected' : ''}>${say(WEEKDAY_LABELS[d])}</option>`)}
        </select>
        <label for="${id('time')}">${say(SCHEDULE_WORDS.time)}</label>${problem('schedule.time', 'time')}
        <input type="time" id="${id('time')}" name="schedule.time" value="${input.time}" ${aria('schedule.time', 'time')} />
      </div>
      ${choice('interval')}
      <div class="when interval">
        <label for="${id('every')}">${say(SCHEDULE_WORDS.days)}</label>${problem('schedule.every', 'every')}
        ${
          input.other
            ? html`<span class="hint" id="${id('other')}"
                >${say({ vi: `Hiện nay: mỗi ${input.other}; để trống để giữ nguyên`, en: `Now: every ${input.other}; leave empty to keep it` })}</span
              >`
            : ''
        }
        <input
          type="number"
          inputmode="numeric"
          min="1"
          max="366"
          step="1"
          id="${id('every')}"
          name="schedule.every"
          value="${input.days}"
          ${aria('schedule.every', 'every')}
        />
        <input type="hidden" name="schedule.other" value="${input.other}" />
      </div>
    </fieldset>`;
}

/** "Thứ Bảy 08:00", "Cứ 14 ngày một lần", or "mỗi PT30S". */
export function scheduleText(say: Say, s: ProgrammeScheduleSpec | null): string {
  if (!s) return '—';
  if (!('every' in s)) return `${say(WEEKDAY_LABELS[s.weekday])} ${s.time}`;
  const days = wholeDays(s.every);
  if (days === 1) return say({ vi: 'Hằng ngày', en: 'Every day' });
  if (days !== undefined) return say({ vi: `Cứ ${days} ngày một lần`, en: `Every ${days} days` });
  return `${say({ vi: 'mỗi', en: 'every' })} ${s.every}`;
}

/** The next session by the schedule (the API's nextSessionAt), "Chủ Nhật 14/06/2026 09:00" in Vietnam's time, or "—". */
export function nextSessionText(say: Say, nextSessionAt: string | null): string {
  if (!nextSessionAt) return '—';
  const at = new Date(nextSessionAt);
  return `${say(WEEKDAY_LABELS[vietnamWeekday(at)])} ${dateTime(at)}`;
}
