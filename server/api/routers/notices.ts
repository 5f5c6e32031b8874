import { z } from "zod";
import { createTRPCRouter, viewerProcedure } from "@/server/api/trpc";
import { getNoticeStory } from "@/server/dashboard/get-notice-story";
import { maskPhone } from "@/server/dashboard/mask-phone";
import { noticeSearchSchema, searchNotices } from "@/server/dashboard/search-notices";

export const noticesRouter = createTRPCRouter({
  search: viewerProcedure.input(noticeSearchSchema).query(async ({ ctx, input }) => {
    const result = await searchNotices(ctx.db, input);
    // Customer service reads lists all day: they see enough of a phone to match a caller.
    if (ctx.user.role !== "viewer") return result;
    return { ...result, rows: result.rows.map((row) => ({ ...row, phone: maskPhone(row.phone) })) };
  }),
  story: viewerProcedure.input(z.object({ id: z.number().int().positive() })).query(({ ctx, input }) => getNoticeStory(ctx.db, input.id)),
});
