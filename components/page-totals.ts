import type { Translate } from "@/lib/i18n/messages";
import { formatQueueCount, QUEUE_COUNT_CAP } from "@/server/delivery/delivery-queues";

/**
 * "共 120 条，3 页" under a paged list. `total` is a bounded count: past
 * QUEUE_COUNT_CAP it is the cap + 1 and reads "共 10,000+ 条，400+ 页" — the
 * lists count up to that bound instead of walking millions of rows (issue 12/13).
 */
export function pageTotals(t: Translate, total: number, pageSize: number): string {
  const capped = total > QUEUE_COUNT_CAP;
  const pages = Math.max(1, Math.ceil(Math.min(total, QUEUE_COUNT_CAP) / pageSize));
  return t("feedback.totals", { n: formatQueueCount(total), pages: `${pages.toLocaleString("en-US")}${capped ? "+" : ""}` });
}
