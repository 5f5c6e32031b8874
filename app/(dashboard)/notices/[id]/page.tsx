import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { firstTimelinePage, timelinePaging } from "@/components/notice/timeline-page";
import { NoticeView } from "@/components/notice/notice-view";
import { getCurrentUser, getQueryClient, HydrateClient, trpc } from "@/trpc/server";

export default async function NoticePage({ params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  // Awaited rather than streamed, so an unknown notice is a real 404 page.
  if (await getCurrentUser()) {
    const found = await getQueryClient()
      .fetchQuery(trpc.notices.story.queryOptions({ id }))
      .then(
        () => true,
        (error: unknown) => !(error instanceof TRPCError && error.code === "NOT_FOUND"),
      );
    if (!found) notFound();
    await getQueryClient().prefetchInfiniteQuery(trpc.notices.timeline.infiniteQueryOptions(firstTimelinePage(id), timelinePaging));
  }
  return (
    <HydrateClient>
      <NoticeView id={id} />
    </HydrateClient>
  );
}
