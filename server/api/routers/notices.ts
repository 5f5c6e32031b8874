import { z } from "zod";
import { createTRPCRouter, viewerProcedure } from "@/server/api/trpc";
import { getNoticeStory } from "@/server/dashboard/get-notice-story";
import { listNoticeTimeline, noticeTimelineSchema } from "@/server/dashboard/list-notice-timeline";
import { countNoticeMatches, noticeSearchSchema, searchNotices } from "@/server/dashboard/search-notices";

export const noticesRouter = createTRPCRouter({
  // Viewers get phones masked here as everywhere (viewerProcedure): enough to match a caller.
  search: viewerProcedure.input(noticeSearchSchema).query(({ ctx, input }) => searchNotices(ctx.db, input)),
  searchCount: viewerProcedure.input(noticeSearchSchema).query(({ ctx, input }) => countNoticeMatches(ctx.db, input)),
  story: viewerProcedure.input(z.object({ id: z.number().int().positive() })).query(({ ctx, input }) => getNoticeStory(ctx.db, input.id)),
  timeline: viewerProcedure.input(noticeTimelineSchema).query(({ ctx, input }) => listNoticeTimeline(ctx.db, input)),
});
