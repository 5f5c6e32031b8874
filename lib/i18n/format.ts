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

/** How long ago / from now, roughly: "3 min", "2 h", "4 d". */
export function formatAge(value: Date | null | undefined, locale: Locale, now = Date.now()): string {
  if (!value) return "—";
  const seconds = Math.round((now - value.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(-seconds, "second");
  if (abs < 3600) return format.format(-Math.round(seconds / 60), "minute");
  if (abs < 86_400) return format.format(-Math.round(seconds / 3600), "hour");
  return format.format(-Math.round(seconds / 86_400), "day");
}

/** The first instant of a calendar day (yyyy-mm-dd) in the reader's time zone; `plusDays` 1 gives the end of that day. */
export function startOfDay(day: string, timeZone: TimeZone, plusDays = 0): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const offset = timeZone === "UTC" ? "+00:00" : "+08:00";
  const start = new Date(`${day}T00:00:00${offset}`);
  return Number.isNaN(start.getTime()) ? undefined : new Date(start.getTime() + plusDays * 86_400_000);
}
