import { SettingsView } from "@/components/admin/settings-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function AdminSettingsPage() {
  await prefetch(trpc.admin.settings.queryOptions(), { adminOnly: true });
  return (
    <HydrateClient>
      <SettingsView />
    </HydrateClient>
  );
}
