import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

/** Ops watch queues move: every query refreshes itself every few seconds. */
export const REFRESH_MS = 5000;

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 2000, refetchInterval: REFRESH_MS, retry: 1 },
      dehydrate: {
        serializeData: superjson.serialize,
        // Only finished queries go to the browser (trpc/server.tsx prefetch awaits them).
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query),
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
