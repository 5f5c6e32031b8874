import { SettingsView } from "@/components/admin/settings-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function AdminSettingsPage() {
  await Promise.all([
    prefetch(trpc.admin.settings.queryOptions(), { adminOnly: true }),
    prefetch(trpc.admin.liveSettings.queryOptions(), { adminOnly: true }),
    prefetch(trpc.admin.settingsAudit.queryOptions(), { adminOnly: true }),
  ]);
  return (
    <HydrateClient>
      <SettingsView />
    </HydrateClient>
  );
}
