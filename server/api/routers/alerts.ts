import { z } from "zod";
import { adminProcedure, createTRPCRouter } from "@/server/api/trpc";
import { listAlertAudit, listAlertSends, sendLogSchema } from "@/server/alerts/alert-log";
import { testChannel } from "@/server/alerts/alert-sender";
import { channelUpdateSchema, createChannel, listChannels, newChannelSchema, removeChannel, updateChannel } from "@/server/alerts/channels";
import { listRules, ruleUpdateSchema, updateRule } from "@/server/alerts/rules-store";
import { getConfig } from "@/server/config";

const byId = z.object({ id: z.number().int().positive() });

/** Alert channels, rules and the send log: admins only (issue 11). */
export const alertsRouter = createTRPCRouter({
  channels: adminProcedure.query(({ ctx }) => listChannels(ctx.db)),
  createChannel: adminProcedure.input(newChannelSchema).mutation(({ ctx, input }) => createChannel(ctx.db, input, ctx.user.email)),
  updateChannel: adminProcedure.input(channelUpdateSchema).mutation(({ ctx, input }) => updateChannel(ctx.db, input, ctx.user.email)),
  removeChannel: adminProcedure.input(byId).mutation(({ ctx, input }) => removeChannel(ctx.db, input.id, ctx.user.email)),
  testChannel: adminProcedure.input(byId).mutation(({ ctx, input }) => {
    const config = getConfig();
    return testChannel(ctx.db, {
      id: input.id,
      actor: ctx.user.email,
      now: new Date(),
      timeoutMs: config.ALERT_SEND_TIMEOUT_MS,
      env: config,
      publicUrl: config.HUB_PUBLIC_URL ?? config.PUBLIC_URL,
    });
  }),
  rules: adminProcedure.query(({ ctx }) => listRules(ctx.db)),
  updateRule: adminProcedure.input(ruleUpdateSchema).mutation(({ ctx, input }) => updateRule(ctx.db, input, ctx.user.email)),
  sends: adminProcedure.input(sendLogSchema).query(({ ctx, input }) => listAlertSends(ctx.db, input)),
  audit: adminProcedure.query(({ ctx }) => listAlertAudit(ctx.db)),
});
