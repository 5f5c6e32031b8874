"use client";

import { createContext, useContext, useEffect, useMemo, type ReactNode } from "react";
import { formatTime } from "@/lib/i18n/format";
import { DEFAULT_LOCALE, DEFAULT_TIME_ZONE, type Locale, type TimeZone } from "@/lib/i18n/locale";
import { translator } from "@/lib/i18n/messages";

const PreferencesContext = createContext<{ locale: Locale; timeZone: TimeZone }>({ locale: DEFAULT_LOCALE, timeZone: DEFAULT_TIME_ZONE });

export function I18nProvider({ locale, timeZone, children }: { locale: Locale; timeZone: TimeZone; children: ReactNode }) {
  const value = useMemo(() => ({ locale, timeZone }), [locale, timeZone]);
  // Effects run once hydration is done: browser tests wait for this mark before judging the console.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}

/** Translations and time formatting in the reader's language and time zone. */
export function useI18n() {
  const { locale, timeZone } = useContext(PreferencesContext);
  return useMemo(
    () => ({
      locale,
      timeZone,
      t: translator(locale),
      time: (value: Date | string | null | undefined) => formatTime(value, timeZone),
    }),
    [locale, timeZone],
  );
}
