import { Suspense } from "react";
import { DeliveriesView } from "@/components/deliveries/deliveries-view";
import { readDeliveriesUrl } from "@/components/deliveries/url-filter";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function DeliveriesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The same view the client reads from the URL, so a shared link renders filled in.
  const raw = await searchParams;
  const { queue, filter, before } = readDeliveriesUrl({ get: (name) => (typeof raw[name] === "string" ? raw[name] : null) });
  await Promise.all([
    prefetch(trpc.deliveries.queueCounts.queryOptions(filter)),
    prefetch(trpc.deliveries.list.queryOptions({ filter: { ...filter, queue }, before })),
  ]);
  return (
    <HydrateClient>
      <Suspense>
        <DeliveriesView />
      </Suspense>
    </HydrateClient>
  );
}
