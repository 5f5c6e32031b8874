import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // No polling: the server pushes what changed and the page refetches that (components/live-updates.tsx).
      queries: { staleTime: 2000, retry: 1 },
      dehydrate: {
        serializeData: superjson.serialize,
        // Only finished queries go to the browser (trpc/server.tsx prefetch awaits them).
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query),
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
