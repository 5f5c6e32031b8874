"use client";

import { useRouter } from "next/navigation";
import { useI18n } from "@/lib/i18n/client";
import { LOCALE_COOKIE, locales, TIME_ZONE_COOKIE, timeZones } from "@/lib/i18n/locale";

const YEAR = 365 * 24 * 3600;

/** Language and time zone, kept in cookies so server-rendered pages use them too. */
export function PreferencesSwitch() {
  const { locale, timeZone, t } = useI18n();
  const router = useRouter();
  const save = (name: string) => (event: { target: { value: string } }) => {
    document.cookie = `${name}=${encodeURIComponent(event.target.value)}; path=/; max-age=${YEAR}; samesite=lax`;
    router.refresh();
  };
  return (
    <div className="flex items-center gap-2 text-xs">
      <select aria-label={t("nav.language")} value={locale} onChange={save(LOCALE_COOKIE)} className="rounded border border-slate-300 bg-white px-1 py-0.5">
        {locales.map((name) => (
          <option key={name} value={name}>
            {name === "en" ? "English" : "中文"}
          </option>
        ))}
      </select>
      <select aria-label={t("nav.timeZone")} value={timeZone} onChange={save(TIME_ZONE_COOKIE)} className="rounded border border-slate-300 bg-white px-1 py-0.5">
        {timeZones.map((name) => (
          <option key={name} value={name}>
            {name === "UTC" ? "UTC" : t("nav.beijingTime")}
          </option>
        ))}
      </select>
    </div>
  );
}
