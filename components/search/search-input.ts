import type { NoticeSearch } from "@/server/dashboard/search-notices";

// Shared by the server page (prefetch) and the client view (first query), so
// the prefetched result is the one the view asks for.
export const SEARCH_PAGE_SIZE = 25;

export const firstSearch = (term: string | undefined): NoticeSearch => ({
  term: term?.trim() || undefined,
  sort: "createdAt",
  dir: "desc",
  page: 0,
  pageSize: SEARCH_PAGE_SIZE,
});
