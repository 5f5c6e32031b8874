import { z } from "zod";
import { createTRPCRouter, operatorProcedure, viewerProcedure } from "@/server/api/trpc";
import { deliveryFilterSchema } from "@/server/delivery/delivery-filter";
import {
  CONFIRMED_IDS_MAX,
  cancelDeliveries,
  countSelectedDeliveries,
  editAndResendDelivery,
  resolveDeliveries,
  retryDeliveriesNow,
} from "@/server/delivery/manual-actions";
import { followRetriedDeliveries } from "@/server/delivery/retry-outcome";
import { checkDeliveryPayload } from "@/server/dashboard/check-delivery-payload";
import { countDeliveryQueues, deliveryListSchema, getDelivery, listDeliveries } from "@/server/dashboard/list-deliveries";

const byIds = z.object({ ids: z.array(z.number().int().positive()).min(1).max(10_000) });
/** What to count before an action. */
const selection = z.union([byIds, z.object({ filter: deliveryFilterSchema })]);
/** What to act on: a filter's action carries the count the person confirmed (manual-actions.ts, ConfirmedCount). */
const confirmedSelection = z.union([
  byIds,
  z.object({
    filter: deliveryFilterSchema,
    confirmed: z.object({
      n: z.number().int().min(0),
      upTo: z.number().int().min(0),
      ids: z.array(z.number().int().positive()).max(CONFIRMED_IDS_MAX).optional(),
    }),
  }),
]);
const note = z.string().trim().min(1, "请写明原因 (a note is required)").max(2000);
const byId = z.object({ id: z.number().int().positive() });
const edited = byId.extend({ payload: z.string().min(2).max(1_048_576) });

export const deliveriesRouter = createTRPCRouter({
  list: viewerProcedure.input(deliveryListSchema).query(({ ctx, input }) => listDeliveries(ctx.db, input)),
  queueCounts: viewerProcedure.input(deliveryFilterSchema).query(({ ctx, input }) => countDeliveryQueues(ctx.db, input)),
  get: viewerProcedure.input(byId).query(({ ctx, input }) => getDelivery(ctx.db, input.id)),
  countSelected: operatorProcedure.input(selection).query(({ ctx, input }) => countSelectedDeliveries(ctx.db, input)),
  retryNow: operatorProcedure
    .input(z.object({ selection: confirmedSelection, note: note.optional() }))
    .mutation(({ ctx, input }) => retryDeliveriesNow(ctx.db, { ...input, actor: ctx.user.email })),
  resolve: operatorProcedure
    .input(z.object({ selection: confirmedSelection, note }))
    .mutation(({ ctx, input }) => resolveDeliveries(ctx.db, { ...input, actor: ctx.user.email })),
  cancel: operatorProcedure
    .input(z.object({ selection: confirmedSelection, note }))
    .mutation(({ ctx, input }) => cancelDeliveries(ctx.db, { ...input, actor: ctx.user.email })),
  retryFollowUp: operatorProcedure
    .input(z.object({ at: z.date() }))
    .query(({ ctx, input }) => followRetriedDeliveries(ctx.db, { actor: ctx.user.email, at: input.at })),
  checkPayload: operatorProcedure.input(edited).mutation(({ ctx, input }) => checkDeliveryPayload(ctx.db, input)),
  editAndResend: operatorProcedure
    .input(edited.extend({ note: note.optional() }))
    .mutation(({ ctx, input }) => editAndResendDelivery(ctx.db, { ...input, actor: ctx.user.email })),
});
