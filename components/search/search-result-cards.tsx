"use client";

import Link from "next/link";
import { useI18n } from "@/lib/i18n/client";
import { Badge, toneOf } from "@/components/ui";
import { matchedText, type SearchRow } from "@/components/search/search-row";

/**
 * Search results on a phone (below 640 px, Tailwind's `sm`): one card per
 * notice with what a customer-service agent checks first — receiver, phone,
 * dispatchNO, state, shop, time and the key that matched — instead of a
 * ten-column table wider than the screen (issue 12: 947 px in a 324 px box).
 * Shown by CSS only, so the server's HTML and the browser's agree.
 */
export function SearchResultCards({ rows }: { rows: SearchRow[] }) {
  const { t, time } = useI18n();
  return (
    <ul className="divide-y divide-slate-100 sm:hidden" data-testid="search-cards">
      {rows.map((row) => (
        <li key={row.id} className="py-2">
          <Link href={`/notices/${row.id}`} className="block space-y-1 rounded p-1 hover:bg-slate-50">
            <div className="flex items-center justify-between gap-2">
              <span className="font-medium">{row.receiver}</span>
              <Badge tone={toneOf(row.status)}>{t(`status.${row.status}`)}</Badge>
            </div>
            <p className="font-mono text-sm">{row.phone}</p>
            <p className="font-mono text-sm break-all text-blue-700">{row.dispatchNo}</p>
            <p className="text-xs text-slate-500">
              {t("notice.shop")} <span className="font-mono">{row.shopCode}</span> · {time(row.createdAt)}
            </p>
            {row.matches.length > 0 && <p className="text-xs break-all text-slate-500">{matchedText(row, t)}</p>}
          </Link>
        </li>
      ))}
    </ul>
  );
}
