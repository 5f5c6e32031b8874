import { ExchangesView } from "@/components/exchanges/exchanges-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default function ExchangesPage() {
  prefetch(trpc.logs.inbound.queryOptions({ page: 0 }));
  return (
    <HydrateClient>
      <ExchangesView />
    </HydrateClient>
  );
}
