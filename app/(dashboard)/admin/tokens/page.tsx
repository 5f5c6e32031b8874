import { TokensView } from "@/components/admin/tokens-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default function AdminTokensPage() {
  prefetch(trpc.admin.tokens.queryOptions());
  return (
    <HydrateClient>
      <TokensView />
    </HydrateClient>
  );
}
