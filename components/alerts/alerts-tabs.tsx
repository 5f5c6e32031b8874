"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useI18n } from "@/lib/i18n/client";

const TABS = [
  { href: "/admin/alerts", key: "alerts.tabChannels" },
  { href: "/admin/alerts/rules", key: "alerts.tabRules" },
  { href: "/admin/alerts/sends", key: "alerts.tabSends" },
] as const;

/** The three alert pages: channels, rules, send log. */
export function AlertsTabs() {
  const { t } = useI18n();
  const pathname = usePathname();
  return (
    <nav className="mb-4 flex gap-1 border-b border-slate-200">
      {TABS.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={pathname === tab.href ? "page" : undefined}
          className={`-mb-px border-b-2 px-3 py-1.5 text-sm ${pathname === tab.href ? "border-slate-800 font-medium" : "border-transparent text-slate-600 hover:text-slate-900"}`}
        >
          {t(tab.key)}
        </Link>
      ))}
    </nav>
  );
}
