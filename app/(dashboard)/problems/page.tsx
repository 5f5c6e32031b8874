import { Suspense } from "react";
import { ProblemsView } from "@/components/problems/problems-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function ProblemsPage() {
  await Promise.all([prefetch(trpc.problems.counts.queryOptions()), prefetch(trpc.problems.list.queryOptions({ view: "active" }))]);
  return (
    <HydrateClient>
      {/* The view reads its tab from the URL (useSearchParams). */}
      <Suspense>
        <ProblemsView />
      </Suspense>
    </HydrateClient>
  );
}
