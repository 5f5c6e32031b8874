import type { Translate } from "@/lib/i18n/messages";
import { COUNT_BOUND, formatBoundedCount } from "@/lib/bounded-count";

/**
 * "共 120 条，3 页" under a paged list. `total` is a bounded count: past
 * COUNT_BOUND it is the bound + 1 and reads "共 10,000+ 条，400+ 页" — the
 * lists count up to that bound instead of walking millions of rows (issue 12/13).
 */
export function pageTotals(t: Translate, total: number, pageSize: number): string {
  const capped = total > COUNT_BOUND;
  const pages = Math.max(1, Math.ceil(Math.min(total, COUNT_BOUND) / pageSize));
  return t("feedback.totals", { n: formatBoundedCount(total), pages: `${pages.toLocaleString("en-US")}${capped ? "+" : ""}` });
}
