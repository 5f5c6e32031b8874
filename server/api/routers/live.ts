import { createTRPCRouter, viewerSubscriptionProcedure } from "@/server/api/trpc";
import { getLiveEvents, streamLiveTopics } from "@/server/live/live-events";

/**
 * Live updates (issue 12): what changed, as batches of `liveTopics`, pushed
 * over SSE (httpSubscriptionLink) for the open pages to refetch what shows it.
 */
export const liveRouter = createTRPCRouter({
  changes: viewerSubscriptionProcedure.subscription(({ signal }) => streamLiveTopics(getLiveEvents(), signal)),
});
