import "server-only";
import { dehydrate, type FetchQueryOptions, HydrationBoundary, type QueryKey } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { cache, type ReactNode } from "react";
import { auth } from "@/auth";
import { appRouter, createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { createQueryClient } from "@/trpc/query-client";

/** One context per server render: the signed-in user, re-read from the database. */
const createContext = cache(async () => {
  const session = await auth();
  return createTRPCContext({ sessionUserId: session?.user?.id, sessionVersion: session?.sessionVersion });
});

export const getQueryClient = cache(createQueryClient);

/** The signed-in, active user of this render, or null. */
export const getCurrentUser = async () => (await createContext()).user;

/** Query options for server components to prefetch with, same keys as the client's. */
export const trpc = createTRPCOptionsProxy({ ctx: createContext, router: appRouter, queryClient: getQueryClient });

/** Direct calls from server code (layouts deciding what to show). */
export const serverCaller = async () => createCaller(await createContext());

/**
 * Runs a query during the server render and waits for it, so the page's HTML
 * carries its data (issue 12: the overview arrived blank) and the browser's
 * first render matches the server's. A query left pending would stream to the
 * browser and could land before hydration: the browser then renders data the
 * server's HTML did not have, React error #418.
 * Skipped when the procedure would refuse the reader: the layout is sending
 * them elsewhere, and a refused prefetch would only log a redacted error. A
 * failed query is not cached; the browser asks again and shows the error.
 */
export async function prefetch<TQueryFnData, TError, TData, TQueryKey extends QueryKey>(
  queryOptions: FetchQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
  { adminOnly = false } = {},
) {
  const user = await getCurrentUser();
  if (!user || (adminOnly && user.role !== "admin")) return;
  await getQueryClient().prefetchQuery(queryOptions);
}

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
