import { OverviewView } from "@/components/overview/overview-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function OverviewPage() {
  await prefetch(trpc.logs.overview.queryOptions({ range: "24h" }));
  return (
    <HydrateClient>
      <OverviewView />
    </HydrateClient>
  );
}
