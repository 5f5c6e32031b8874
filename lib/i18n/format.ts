import type { Locale, TimeZone } from "@/lib/i18n/locale";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** 2026-11-29 16:54:30 in the reader's time zone (sv-SE gives ISO-like order in every locale). */
export function formatTime(value: Date | string | null | undefined, timeZone: TimeZone): string {
  if (!value) return "—";
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(typeof value === "string" ? new Date(value) : value);
}

/**
 * How long ago (or from now), roughly: "3 分钟前" / "3 min. ago", "2 小时前", and
 * by calendar days in the reader's time zone past a day: 昨天 only for
 * yesterday's date, 前天 / "2 days ago" for the day before (issue 12: a notice
 * from two days ago was labelled 昨天 by rounding 36 h to one day).
 * `now` in ms since the epoch. Depends on the clock: render it in the browser
 * only (components/age.tsx), never on the server, or the page fails to hydrate.
 */
export function formatAge(value: Date | null | undefined, locale: Locale, timeZone: TimeZone, now: number): string {
  if (!value) return "—";
  const seconds = Math.round((now - value.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(-seconds, "second");
  if (abs < 3600) return format.format(-Math.round(seconds / 60), "minute");
  if (abs < 86_400) return format.format(-Math.round(seconds / 3600), "hour");
  return format.format(calendarDay(value.getTime(), timeZone) - calendarDay(now, timeZone), "day");
}

/** Days since 1970-01-01 of the calendar date an instant (ms) falls on in a time zone. */
function calendarDay(ms: number, timeZone: TimeZone): number {
  return Date.parse(`${formatTime(new Date(ms), timeZone).slice(0, 10)}T00:00:00Z`) / 86_400_000;
}

/** The first instant of a calendar day (yyyy-mm-dd) in the reader's time zone; `plusDays` 1 gives the end of that day. */
export function startOfDay(day: string, timeZone: TimeZone, plusDays = 0): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const offset = timeZone === "UTC" ? "+00:00" : "+08:00";
  const start = new Date(`${day}T00:00:00${offset}`);
  return Number.isNaN(start.getTime()) ? undefined : new Date(start.getTime() + plusDays * 86_400_000);
}
