"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useI18n } from "@/lib/i18n/client";

const LINKS = [
  { href: "/problems", key: "nav.problems" },
  { href: "/search", key: "nav.search" },
  { href: "/deliveries", key: "nav.deliveries" },
  { href: "/overview", key: "nav.overview" },
  { href: "/exchanges", key: "nav.exchanges" },
] as const;
const ADMIN_LINKS = [
  { href: "/admin/users", key: "nav.users" },
  { href: "/admin/tokens", key: "nav.tokens" },
  { href: "/admin/alerts", key: "nav.alerts" },
  { href: "/admin/settings", key: "nav.settings" },
] as const;

export function NavLinks({ isAdmin }: { isAdmin: boolean }) {
  const { t } = useI18n();
  const pathname = usePathname();
  const links = isAdmin ? [...LINKS, ...ADMIN_LINKS] : LINKS;
  return (
    <nav className="flex flex-wrap gap-1">
      {links.map((link) => {
        const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={active ? "page" : undefined}
            className={`rounded px-2.5 py-1 text-sm ${active ? "bg-slate-800 text-white" : "text-slate-700 hover:bg-slate-200"}`}
          >
            {t(link.key)}
          </Link>
        );
      })}
    </nav>
  );
}
