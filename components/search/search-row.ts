import type { Translate } from "@/lib/i18n/messages";
import type { RouterOutputs } from "@/trpc/react";

/** One notice in the search results, as notices.search answers it. */
export type SearchRow = RouterOutputs["notices"]["search"]["rows"][number];

/** "命中 旧运单 SF1 → 现 SF2 · 手机号": which keys of a result matched the search, for the table and the phone cards. */
export function matchedText(row: Pick<SearchRow, "matches">, t: Translate): string {
  return `${t("search.matched")} ${row.matches
    .map((match) =>
      match.key === "oldWaybill"
        ? t("search.matchOldWaybill", { value: match.value, now: match.now ?? "?" })
        : match.key === "phone"
          ? t("searchKey.phone")
          : `${t(`searchKey.${match.key}`)} ${match.value}`,
    )
    .join(" · ")}`;
}
