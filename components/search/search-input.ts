import type { RouterInputs } from "@/trpc/react";

/** What notices.search takes. */
export type NoticeSearch = RouterInputs["notices"]["search"];

// Shared by the server page (prefetch) and the client view (first query), so
// the prefetched result is the one the view asks for.
export const SEARCH_PAGE_SIZE = 25;

/**
 * One shop's late ship-from-store notices, as the overview counts them (SPEC §6:
 * stores past the 24 h shipping window): still pending, accepted before
 * `before` (the overview's now − 24 h). Carried in the URL as ?late=<shop>&before=<ISO instant>.
 */
export type LateFilter = { shop: string; before: Date };

export const lateStoreHref = (shop: string, before: Date) => `/search?late=${encodeURIComponent(shop)}&before=${encodeURIComponent(before.toISOString())}`;

/** The late filter from the search page's URL parameters; undefined when absent or malformed. */
export function readLateFilter(params: { late?: string; before?: string }): LateFilter | undefined {
  const before = params.before ? new Date(params.before) : undefined;
  if (!params.late?.trim() || !before || Number.isNaN(before.getTime())) return undefined;
  return { shop: params.late.trim(), before };
}

export const firstSearch = (term: string | undefined, late?: LateFilter): NoticeSearch => ({
  term: term?.trim() || undefined,
  sort: "createdAt",
  dir: "desc",
  page: 0,
  pageSize: SEARCH_PAGE_SIZE,
  ...(late ? { shopCode: late.shop, kind: "ship_from_store" as const, status: "pending" as const, createdTo: late.before } : {}),
});
