import { notFound } from "next/navigation";
import { NoticeView } from "@/components/notice/notice-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function NoticePage({ params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  await prefetch(trpc.notices.story.queryOptions({ id }));
  return (
    <HydrateClient>
      <NoticeView id={id} />
    </HydrateClient>
  );
}
