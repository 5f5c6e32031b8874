import { AlertsTabs } from "@/components/alerts/alerts-tabs";
import { SendsView } from "@/components/alerts/sends-view";
import { HydrateClient } from "@/trpc/server";

export default function AlertSendsPage() {
  return (
    <HydrateClient>
      <AlertsTabs />
      <SendsView />
    </HydrateClient>
  );
}
