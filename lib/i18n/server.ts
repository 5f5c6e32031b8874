import { cookies } from "next/headers";
import { LOCALE_COOKIE, TIME_ZONE_COOKIE, toLocale, toTimeZone } from "@/lib/i18n/locale";
import { translator } from "@/lib/i18n/messages";

/** The reader's language and time zone, from their cookies (zh-CN and Asia/Shanghai unless they switched). */
export async function getPreferences() {
  const jar = await cookies();
  const locale = toLocale(jar.get(LOCALE_COOKIE)?.value);
  return { locale, timeZone: toTimeZone(jar.get(TIME_ZONE_COOKIE)?.value), t: translator(locale) };
}
