import type { ReactNode } from "react";
import { I18nProvider } from "@/lib/i18n/client";
import { getPreferences } from "@/lib/i18n/server";
import "./globals.css";

export const metadata = { title: "发货通知单中台 · Dispatch hub" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, timeZone } = await getPreferences();
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <I18nProvider locale={locale} timeZone={timeZone}>
          {children}
        </I18nProvider>
      </body>
    </html>
  );
}
