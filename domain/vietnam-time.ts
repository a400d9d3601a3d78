// Vietnam's clock: UTC+7, no daylight saving. Days are counted by arithmetic, never by the
// machine's local time. Free of any library: the workflow bundle imports it.
export const VIETNAM_OFFSET_MS = 7 * 3600_000;
export const DAY_MS = 86_400_000;

/** The calendar day (YYYY-MM-DD) an instant falls on in Vietnam: today, by default. */
export function vietnamDay(at: Date = new Date()): string {
  return new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a calendar day (YYYY-MM-DD) begins in Vietnam. */
export function dayStartInVietnam(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - VIETNAM_OFFSET_MS);
}
