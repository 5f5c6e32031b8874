import { ExchangesView } from "@/components/exchanges/exchanges-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function ExchangesPage() {
  await prefetch(trpc.logs.inbound.queryOptions({ cursor: undefined }));
  return (
    <HydrateClient>
      <ExchangesView />
    </HydrateClient>
  );
}
