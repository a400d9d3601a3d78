// How the console says things: in the person's language, dates as dd/MM/yyyy HH:mm in Vietnam's
// time (UTC+7 all year, so by arithmetic, never the server's clock zone), and what remains before a
// deadline in the working days the deadline policy counts.
import { workingDaysBetween } from '../../domain/deadlines';
import type { Bilingual } from '../../domain/stages';

export type Lang = keyof Bilingual;
export type Say = (words: Bilingual) => string;

export const sayIn =
  (lang: Lang): Say =>
  (words) =>
    words[lang];

const VIETNAM_OFFSET_MS = 7 * 3600_000;
const two = (n: number) => String(n).padStart(2, '0');

/** 23/11/2026 14:05, in Vietnam's time. */
export function dateTime(iso: string | Date): string {
  const d = new Date(new Date(iso).getTime() + VIETNAM_OFFSET_MS);
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** 23/11/2026, in Vietnam's time. */
export const dateOnly = (iso: string | Date) => dateTime(iso).slice(0, 10);

/** A datetime-local value (Vietnam's wall clock) for an instant. */
export function localInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(Date.parse(iso) + VIETNAM_OFFSET_MS);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16);
}

/** The instant a datetime-local value (typed on Vietnam's wall clock) stands for, as the API takes it. */
export function fromLocalInput(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(value);
  return m ? `${m[1]}${m[2] ?? ':00'}+07:00` : undefined;
}

/**
 * What remains before a deadline: hours when it falls within a day, else working days; how long
 * it is overdue once past. The words for the list and for the case page alike.
 */
export function remaining(dueAt: string, now: Date, holidays: ReadonlySet<string>): { overdue: boolean; words: Bilingual } {
  const due = new Date(dueAt);
  const ms = due.getTime() - now.getTime();
  const hours = Math.floor(Math.abs(ms) / 3600_000);
  if (ms < 0) {
    const days = workingDaysBetween(due, now, holidays);
    return {
      overdue: true,
      words:
        days > 0
          ? { vi: `quá hạn ${days} ngày làm việc`, en: `overdue by ${days} working day${days === 1 ? '' : 's'}` }
          : { vi: `quá hạn ${hours} giờ`, en: `overdue by ${hours} hour${hours === 1 ? '' : 's'}` },
    };
  }
  if (ms < 24 * 3600_000) {
    const minutes = Math.floor(ms / 60_000) % 60;
    return {
      overdue: false,
      words:
        hours > 0 ? { vi: `còn ${hours} giờ ${minutes} phút`, en: `${hours} h ${minutes} min left` } : { vi: `còn ${minutes} phút`, en: `${minutes} min left` },
    };
  }
  const days = workingDaysBetween(now, due, holidays);
  return { overdue: false, words: { vi: `còn ${days} ngày làm việc`, en: `${days} working day${days === 1 ? '' : 's'} left` } };
}
