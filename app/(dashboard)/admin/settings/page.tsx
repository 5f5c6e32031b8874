import { SettingsView } from "@/components/admin/settings-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default function AdminSettingsPage() {
  prefetch(trpc.admin.settings.queryOptions());
  return (
    <HydrateClient>
      <SettingsView />
    </HydrateClient>
  );
}
