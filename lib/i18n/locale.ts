export const locales = ["zh-CN", "en"] as const;
export type Locale = (typeof locales)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";
export const LOCALE_COOKIE = "hub-locale";

export const timeZones = ["Asia/Shanghai", "UTC"] as const;
export type TimeZone = (typeof timeZones)[number];
export const DEFAULT_TIME_ZONE: TimeZone = "Asia/Shanghai";
export const TIME_ZONE_COOKIE = "hub-tz";

export const toLocale = (value: string | undefined): Locale => (value === "en" ? "en" : DEFAULT_LOCALE);
export const toTimeZone = (value: string | undefined): TimeZone => (value === "UTC" ? "UTC" : DEFAULT_TIME_ZONE);
