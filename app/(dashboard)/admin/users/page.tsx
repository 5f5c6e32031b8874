import { UsersView } from "@/components/admin/users-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default function AdminUsersPage() {
  prefetch(trpc.admin.users.queryOptions());
  return (
    <HydrateClient>
      <UsersView />
    </HydrateClient>
  );
}
