import { DeliveriesView } from "@/components/deliveries/deliveries-view";
import { FIRST_QUEUE } from "@/components/deliveries/first-queue";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function DeliveriesPage() {
  await prefetch(trpc.deliveries.queueCounts.queryOptions({}));
  await prefetch(trpc.deliveries.list.queryOptions({ filter: { queue: FIRST_QUEUE }, page: 0 }));
  return (
    <HydrateClient>
      <DeliveriesView />
    </HydrateClient>
  );
}
