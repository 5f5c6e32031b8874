import { createTRPCRouter, viewerProcedure } from "@/server/api/trpc";
import { getOverview, overviewSchema } from "@/server/dashboard/get-overview";
import { inboundLogSchema, listInboundExchanges, listOutboundAttempts, outboundLogSchema } from "@/server/dashboard/list-exchanges";

export const logsRouter = createTRPCRouter({
  overview: viewerProcedure.input(overviewSchema).query(({ ctx, input }) => getOverview(ctx.db, input)),
  inbound: viewerProcedure.input(inboundLogSchema).query(({ ctx, input }) => listInboundExchanges(ctx.db, input)),
  outbound: viewerProcedure.input(outboundLogSchema).query(({ ctx, input }) => listOutboundAttempts(ctx.db, input)),
});
