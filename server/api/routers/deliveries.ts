import { z } from "zod";
import { createTRPCRouter, operatorProcedure, viewerProcedure } from "@/server/api/trpc";
import { deliveryFilterSchema } from "@/server/delivery/delivery-filter";
import {
  cancelDeliveries,
  countSelectedDeliveries,
  editAndResendDelivery,
  resolveDeliveries,
  retryDeliveriesNow,
} from "@/server/delivery/manual-actions";
import { followRetriedDeliveries } from "@/server/delivery/retry-outcome";
import { checkDeliveryPayload } from "@/server/dashboard/check-delivery-payload";
import { countDeliveryQueues, deliveryListSchema, getDelivery, listDeliveries } from "@/server/dashboard/list-deliveries";

const selection = z.union([
  z.object({ ids: z.array(z.number().int().positive()).min(1).max(10_000) }),
  z.object({ filter: deliveryFilterSchema }),
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
    .input(z.object({ selection, note: note.optional() }))
    .mutation(({ ctx, input }) => retryDeliveriesNow(ctx.db, { ...input, actor: ctx.user.email })),
  resolve: operatorProcedure
    .input(z.object({ selection, note }))
    .mutation(({ ctx, input }) => resolveDeliveries(ctx.db, { ...input, actor: ctx.user.email })),
  cancel: operatorProcedure
    .input(z.object({ selection, note }))
    .mutation(({ ctx, input }) => cancelDeliveries(ctx.db, { ...input, actor: ctx.user.email })),
  retryFollowUp: operatorProcedure
    .input(z.object({ at: z.date() }))
    .query(({ ctx, input }) => followRetriedDeliveries(ctx.db, { actor: ctx.user.email, at: input.at })),
  checkPayload: operatorProcedure.input(edited).mutation(({ ctx, input }) => checkDeliveryPayload(ctx.db, input)),
  editAndResend: operatorProcedure
    .input(edited.extend({ note: note.optional() }))
    .mutation(({ ctx, input }) => editAndResendDelivery(ctx.db, { ...input, actor: ctx.user.email })),
});
