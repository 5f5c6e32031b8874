import { AlertsTabs } from "@/components/alerts/alerts-tabs";
import { ChannelsView } from "@/components/alerts/channels-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function AlertChannelsPage() {
  await prefetch(trpc.alerts.channels.queryOptions(), { adminOnly: true });
  return (
    <HydrateClient>
      <AlertsTabs />
      <ChannelsView />
    </HydrateClient>
  );
}
