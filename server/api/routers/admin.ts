import { z } from "zod";
import { adminProcedure, createTRPCRouter, signedInProcedure } from "@/server/api/trpc";
import { getSettings } from "@/server/dashboard/get-settings";
import { listPartnerTokens } from "@/server/dashboard/list-partner-tokens";
import { createPartnerToken, revokePartnerToken } from "@/server/partner/authenticate";
import { HubError } from "@/server/errors";
import { listLiveSettings, listSettingsAudit, saveLiveSetting } from "@/server/settings/live-settings";
import { liveSettingKeys, type LiveSettingKey } from "@/lib/setting-kinds";
import { roles } from "@/lib/states";
import { createUser, listUsers, newUserSchema, resetPassword, updateUser } from "@/server/users/users";
import { partnerSides } from "@/lib/states";

const byId = z.object({ id: z.number().int().positive() });

export const adminRouter = createTRPCRouter({
  /** Who am I: every page needs the role to decide which buttons to show (the procedures decide what is allowed). */
  me: signedInProcedure.query(({ ctx }) => ctx.user),
  users: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  createUser: adminProcedure.input(newUserSchema).mutation(({ ctx, input }) => createUser(ctx.db, { ...input, createdBy: ctx.user.email })),
  updateUser: adminProcedure
    .input(byId.extend({ role: z.enum(roles).optional(), disabled: z.boolean().optional() }))
    .mutation(({ ctx, input }) => updateUser(ctx.db, { ...input, actorId: ctx.user.id })),
  /** A generated password, returned once for the admin to pass on; the user must change it at sign-in. */
  resetPassword: adminProcedure.input(byId).mutation(({ ctx, input }) => {
    if (input.id === ctx.user.id) throw new HubError("forbidden", "请在“修改密码”页修改自己的密码 (change your own password on the password page)");
    return resetPassword(ctx.db, input);
  }),
  tokens: adminProcedure.query(({ ctx }) => listPartnerTokens(ctx.db)),
  createToken: adminProcedure
    .input(
      z.object({
        side: z.enum(partnerSides),
        label: z.string().trim().min(1).max(100),
        // Empty: the token may act for every shop.
        shopCodes: z.array(z.string().trim().min(1).max(64)).max(500).optional(),
      }),
    )
    .mutation(({ ctx, input }) => createPartnerToken(ctx.db, { ...input, createdBy: ctx.user.email })),
  revokeToken: adminProcedure.input(byId).mutation(({ ctx, input }) => revokePartnerToken(ctx.db, input.id)),
  settings: adminProcedure.query(() => getSettings()),
  liveSettings: adminProcedure.query(({ ctx }) => listLiveSettings(ctx.db)),
  settingsAudit: adminProcedure.query(({ ctx }) => listSettingsAudit(ctx.db)),
  /** value null: back to the environment's value. */
  saveSetting: adminProcedure
    .input(z.object({ key: z.enum(liveSettingKeys as [LiveSettingKey, ...LiveSettingKey[]]), value: z.string().max(2048).nullable() }))
    .mutation(({ ctx, input }) => saveLiveSetting(ctx.db, { ...input, actor: ctx.user.email })),
});
