"use client";

import { useI18n } from "@/lib/i18n/client";
import { Pager } from "@/components/ui";
import type { useCursorPages } from "@/components/use-cursor-pages";

/** ‹ page n › for a keyset list: › follows the page's nextCursor, ‹ goes back to the cursor before. */
export function CursorPager<C>({ pages, nextCursor }: { pages: ReturnType<typeof useCursorPages<C>>; nextCursor: C | null | undefined }) {
  const { t } = useI18n();
  return (
    <Pager
      page={pages.page}
      hasMore={nextCursor !== null && nextCursor !== undefined}
      onPage={(page) => (page < pages.page ? pages.previous() : nextCursor != null && pages.next(nextCursor))}
      label={(n) => t("common.page", { n })}
    />
  );
}
