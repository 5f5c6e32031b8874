import { AlertsTabs } from "@/components/alerts/alerts-tabs";
import { RulesView } from "@/components/alerts/rules-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function AlertRulesPage() {
  await prefetch(trpc.alerts.rules.queryOptions(), { adminOnly: true });
  return (
    <HydrateClient>
      <AlertsTabs />
      <RulesView />
    </HydrateClient>
  );
}
