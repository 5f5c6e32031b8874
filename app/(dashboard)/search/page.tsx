import { firstSearch } from "@/components/search/search-input";
import { SearchView } from "@/components/search/search-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function SearchPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const { q } = await searchParams;
  await prefetch(trpc.notices.search.queryOptions(firstSearch(q)));
  return (
    <HydrateClient>
      <SearchView initialTerm={q} />
    </HydrateClient>
  );
}
