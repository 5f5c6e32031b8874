import { TokensView } from "@/components/admin/tokens-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function AdminTokensPage() {
  await prefetch(trpc.admin.tokens.queryOptions(), { adminOnly: true });
  return (
    <HydrateClient>
      <TokensView />
    </HydrateClient>
  );
}
