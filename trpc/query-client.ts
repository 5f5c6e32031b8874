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
        // Queries the server started but did not await stream to the client instead of starting over.
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
