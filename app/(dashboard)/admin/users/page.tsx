import { UsersView } from "@/components/admin/users-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function AdminUsersPage() {
  await prefetch(trpc.admin.users.queryOptions(), { adminOnly: true });
  return (
    <HydrateClient>
      <UsersView />
    </HydrateClient>
  );
}
