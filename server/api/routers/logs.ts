import { createTRPCRouter, viewerProcedure } from "@/server/api/trpc";
import { getOverview, overviewSchema } from "@/server/dashboard/get-overview";
import { partnerEndpoints } from "@/server/contract/endpoints";
import {
  countInboundExchanges,
  countOutboundAttempts,
  getInboundExchange,
  getOutboundAttempt,
  inboundCallSchema,
  inboundFilterSchema,
  inboundLogSchema,
  listInboundExchanges,
  listOutboundAttempts,
  outboundAttemptSchema,
  outboundFilterSchema,
  outboundLogSchema,
} from "@/server/dashboard/list-exchanges";

export const logsRouter = createTRPCRouter({
  /** The partner paths, for the filters. */
  endpoints: viewerProcedure.query(() => partnerEndpoints.map(({ side, path }) => ({ side, path }))),
  overview: viewerProcedure.input(overviewSchema).query(({ ctx, input }) => getOverview(ctx.db, input)),
  inbound: viewerProcedure.input(inboundLogSchema).query(({ ctx, input }) => listInboundExchanges(ctx.db, input)),
  inboundCount: viewerProcedure.input(inboundFilterSchema).query(({ ctx, input }) => countInboundExchanges(ctx.db, input)),
  inboundCall: viewerProcedure.input(inboundCallSchema).query(({ ctx, input }) => getInboundExchange(ctx.db, input)),
  outbound: viewerProcedure.input(outboundLogSchema).query(({ ctx, input }) => listOutboundAttempts(ctx.db, input)),
  outboundCount: viewerProcedure.input(outboundFilterSchema).query(({ ctx, input }) => countOutboundAttempts(ctx.db, input)),
  outboundAttempt: viewerProcedure.input(outboundAttemptSchema).query(({ ctx, input }) => getOutboundAttempt(ctx.db, input)),
});
