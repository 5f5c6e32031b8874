import { firstSearch, readLateFilter } from "@/components/search/search-input";
import { SearchView } from "@/components/search/search-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function SearchPage({ searchParams }: { searchParams: Promise<{ q?: string; late?: string; before?: string }> }) {
  const { q, ...params } = await searchParams;
  const late = readLateFilter(params);
  await prefetch(trpc.notices.search.queryOptions(firstSearch(q, late)));
  return (
    <HydrateClient>
      <SearchView initialTerm={q} late={late} />
    </HydrateClient>
  );
}
