import type { RouterInputs, RouterOutputs } from "@/trpc/react";

type NoticeTimelineQuery = RouterInputs["notices"]["timeline"];
type NoticeTimelinePage = RouterOutputs["notices"]["timeline"];

// Shared by the notice page (server prefetch) and the timeline (its first
// query), so the page arrives with the timeline the browser asks for.
export const firstTimelinePage = (id: number, onlyProblems = false): NoticeTimelineQuery => ({ id, onlyProblems });

/** "Show older" continues after the last call shown (keyset cursor); none after the last page. */
export const timelinePaging = { getNextPageParam: (page: NoticeTimelinePage) => page.nextCursor };
