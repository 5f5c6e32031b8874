import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { ProblemView } from "@/components/problems/problem-view";
import { getCurrentUser, getQueryClient, HydrateClient, trpc } from "@/trpc/server";

export default async function ProblemPage({ params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  // Awaited rather than streamed, so an unknown problem is a real 404 page.
  if (await getCurrentUser()) {
    const found = await getQueryClient()
      .fetchQuery(trpc.problems.get.queryOptions({ id }))
      .then(
        () => true,
        (error: unknown) => !(error instanceof TRPCError && error.code === "NOT_FOUND"),
      );
    if (!found) notFound();
  }
  return (
    <HydrateClient>
      <ProblemView id={id} />
    </HydrateClient>
  );
}
