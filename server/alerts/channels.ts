import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { alertAudit, alertChannels } from "@/db/schema/alerts";
import { ruleKinds } from "@/lib/alert-rule-kinds";
import { channelFields, channelKinds, type ChannelKind, type ChannelSettings } from "@/lib/alert-channel-kinds";
import { maskSecret, maskUrl, openSecret, sealSecret } from "@/server/secret-box";
import { HubError } from "@/server/errors";

export type AlertChannel = typeof alertChannels.$inferSelect;

const httpUrl = z
  .string()
  .trim()
  .url()
  .refine((value) => /^https?:\/\//i.test(value), "只支持 http(s) 地址 (http or https only)");
const emailList = z
  .string()
  .trim()
  .refine((value) => value.split(/[,;，；\s]+/).filter(Boolean).every((address) => z.email().safeParse(address).success), "收件人格式不对 (invalid recipient)");

/** A channel's settings as a form sends them; blank = keep the stored value (on update). */
export const channelSettingsSchema = z.object({
  url: httpUrl.optional().or(z.literal("")),
  secret: z.string().trim().max(500).optional(),
  smtpUrl: z
    .string()
    .trim()
    .refine((value) => value === "" || /^smtps?:\/\//i.test(value), "SMTP 地址形如 smtp://user:pass@host:587 (smtp:// or smtps://)")
    .optional(),
  from: z.string().trim().max(300).optional(),
  to: emailList.optional().or(z.literal("")),
});

export const newChannelSchema = z.object({
  kind: z.enum(channelKinds),
  name: z.string().trim().min(1).max(100),
  settings: channelSettingsSchema,
  rules: z.array(z.enum(ruleKinds)).max(ruleKinds.length),
  enabled: z.boolean().default(true),
  ratePerMinute: z.number().int().min(1).max(600).default(20),
});

export const channelUpdateSchema = z.object({
  id: z.number().int().positive(),
  name: z.string().trim().min(1).max(100).optional(),
  settings: channelSettingsSchema.optional(),
  rules: z.array(z.enum(ruleKinds)).max(ruleKinds.length).optional(),
  enabled: z.boolean().optional(),
  ratePerMinute: z.number().int().min(1).max(600).optional(),
});

function cleanSettings(settings: ChannelSettings): ChannelSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => typeof value === "string" && value.trim() !== ""));
}

function requireFields(kind: ChannelKind, settings: ChannelSettings) {
  const missing = channelFields[kind].required.filter((field) => !settings[field]);
  if (missing.length) throw new HubError("invalid_body", `缺少 ${missing.join("、")} (missing ${missing.join(", ")})`);
}

/** What the admin pages show of a channel's settings: the URL's host and path, secrets masked, recipients in full. */
export function summarizeSettings(settings: ChannelSettings): Record<string, string> {
  const summary: Record<string, string> = {};
  if (settings.url) summary.url = maskUrl(settings.url);
  if (settings.secret) summary.secret = maskSecret(settings.secret);
  if (settings.smtpUrl) summary.smtpUrl = maskUrl(settings.smtpUrl);
  if (settings.from) summary.from = settings.from;
  if (settings.to) summary.to = settings.to;
  return summary;
}

/** The channels an admin sees, newest first, without their sealed secrets, each with its latest send. */
export async function listChannels(db: Db) {
  const rows = await db
    .select({
      id: alertChannels.id,
      kind: alertChannels.kind,
      name: alertChannels.name,
      source: alertChannels.source,
      enabled: alertChannels.enabled,
      rules: alertChannels.rules,
      summary: alertChannels.summary,
      ratePerMinute: alertChannels.ratePerMinute,
      createdAt: alertChannels.createdAt,
      createdBy: alertChannels.createdBy,
      updatedAt: alertChannels.updatedAt,
      updatedBy: alertChannels.updatedBy,
      // Spelled out: inside the subquery drizzle would leave the outer "id" unqualified, and it would bind to s.id.
      lastSend: sql<{ state: string; at: string; error: string | null } | null>`(
        select json_build_object('state', s.state, 'at', coalesce(s.finished_at, s.last_attempt_at, s.created_at), 'error', s.last_error)
        from alert_sends s where s.channel_id = alert_channels.id order by s.id desc limit 1)`,
    })
    .from(alertChannels)
    .where(isNull(alertChannels.removedAt))
    .orderBy(alertChannels.source, desc(alertChannels.id));
  return rows;
}

async function audit(db: Db, entry: { actor: string; entityKey: string; action: string; before?: unknown; after?: unknown }) {
  await db.insert(alertAudit).values({ entity: "channel", ...entry, before: entry.before ?? null, after: entry.after ?? null });
}

const audited = (channel: Pick<AlertChannel, "name" | "enabled" | "rules" | "summary" | "ratePerMinute">) => ({
  name: channel.name,
  enabled: channel.enabled,
  rules: channel.rules,
  settings: channel.summary,
  ratePerMinute: channel.ratePerMinute,
});

/**
 * Stores a new channel, its secret settings sealed (server/secret-box.ts), and audits it.
 * @throws HubError invalid_body when a setting the kind needs is missing.
 */
export async function createChannel(db: Db, input: z.input<typeof newChannelSchema>, actor: string) {
  const parsed = newChannelSchema.parse(input);
  const settings = cleanSettings(parsed.settings);
  requireFields(parsed.kind, settings);
  return db.transaction(async (tx) => {
    const [channel] = await tx
      .insert(alertChannels)
      .values({
        kind: parsed.kind,
        name: parsed.name,
        enabled: parsed.enabled,
        rules: parsed.rules,
        ratePerMinute: parsed.ratePerMinute,
        secretConfig: sealSecret(JSON.stringify(settings)),
        summary: summarizeSettings(settings),
        createdBy: actor,
        updatedBy: actor,
      })
      .returning();
    await audit(tx, { actor, entityKey: String(channel!.id), action: "create", after: { kind: parsed.kind, ...audited(channel!) } });
    return { id: channel!.id };
  });
}

async function adminChannel(db: Db, id: number) {
  const [channel] = await db.select().from(alertChannels).where(and(eq(alertChannels.id, id), isNull(alertChannels.removedAt))).for("update");
  if (!channel) throw new HubError("not_found", `告警通道 ${id} 不存在 (no such channel)`);
  if (channel.source === "env") throw new HubError("forbidden", "此通道由环境变量配置，只读 (set by the environment: read-only)");
  return channel;
}

/**
 * Changes a channel; a blank or absent setting keeps the stored one, so the
 * admin never needs to see a secret to change something else.
 * @throws HubError not_found, forbidden (an environment channel), invalid_body.
 */
export async function updateChannel(db: Db, input: z.input<typeof channelUpdateSchema>, actor: string) {
  const parsed = channelUpdateSchema.parse(input);
  return db.transaction(async (tx) => {
    const before = await adminChannel(tx, parsed.id);
    let sealed = before.secretConfig;
    let summary = before.summary;
    if (parsed.settings && Object.keys(cleanSettings(parsed.settings)).length > 0) {
      const stored = before.secretConfig ? (JSON.parse(openSecret(before.secretConfig)) as ChannelSettings) : {};
      const merged = { ...stored, ...cleanSettings(parsed.settings) };
      requireFields(before.kind, merged);
      sealed = sealSecret(JSON.stringify(merged));
      summary = summarizeSettings(merged);
    }
    const [after] = await tx
      .update(alertChannels)
      .set({
        name: parsed.name ?? before.name,
        enabled: parsed.enabled ?? before.enabled,
        rules: parsed.rules ?? before.rules,
        ratePerMinute: parsed.ratePerMinute ?? before.ratePerMinute,
        secretConfig: sealed,
        summary,
        updatedAt: new Date(),
        updatedBy: actor,
      })
      .where(eq(alertChannels.id, parsed.id))
      .returning();
    await audit(tx, { actor, entityKey: String(parsed.id), action: "update", before: audited(before), after: audited(after!) });
    return { id: parsed.id };
  });
}

/** Removes a channel (kept for its send log, never used again). @throws HubError not_found, forbidden. */
export async function removeChannel(db: Db, id: number, actor: string) {
  await db.transaction(async (tx) => {
    const before = await adminChannel(tx, id);
    await tx.update(alertChannels).set({ removedAt: new Date(), enabled: false, updatedBy: actor, updatedAt: new Date() }).where(eq(alertChannels.id, id));
    await audit(tx, { actor, entityKey: String(id), action: "remove", before: audited(before) });
  });
}

/**
 * A channel's secret settings, in plain text, for sending: an admin channel's
 * sealed settings, an environment channel's variables.
 * @throws Error when the sealed settings cannot be opened (the key changed).
 */
export function channelSettingsOf(channel: Pick<AlertChannel, "kind" | "source" | "secretConfig">, env: EnvChannelConfig): ChannelSettings {
  if (channel.source === "env") return environmentChannels(env).find((item) => item.kind === channel.kind)?.settings ?? {};
  return channel.secretConfig ? (JSON.parse(openSecret(channel.secretConfig)) as ChannelSettings) : {};
}

/** The environment variables that provision channels (server/config.ts). */
export type EnvChannelConfig = {
  ALERT_WECOM_WEBHOOK_URL?: string;
  ALERT_DINGTALK_WEBHOOK_URL?: string;
  ALERT_DINGTALK_SECRET?: string;
  ALERT_FEISHU_WEBHOOK_URL?: string;
  ALERT_FEISHU_SECRET?: string;
  ALERT_WEBHOOK_URL?: string;
  SMTP_URL?: string;
  ALERT_EMAIL_FROM?: string;
  ALERT_EMAIL_TO?: string;
};

const ENV_NAMES: Record<ChannelKind, string> = {
  wecom: "企业微信（环境变量）",
  dingtalk: "钉钉（环境变量）",
  feishu: "飞书（环境变量）",
  webhook: "Webhook（环境变量）",
  email: "邮件（环境变量）",
};

/** The channels the environment sets up (issue 11: any URL, http included). */
export function environmentChannels(env: EnvChannelConfig): { kind: ChannelKind; name: string; settings: ChannelSettings }[] {
  const found: { kind: ChannelKind; settings: ChannelSettings }[] = [];
  if (env.ALERT_WECOM_WEBHOOK_URL) found.push({ kind: "wecom", settings: { url: env.ALERT_WECOM_WEBHOOK_URL } });
  if (env.ALERT_DINGTALK_WEBHOOK_URL) found.push({ kind: "dingtalk", settings: { url: env.ALERT_DINGTALK_WEBHOOK_URL, secret: env.ALERT_DINGTALK_SECRET } });
  if (env.ALERT_FEISHU_WEBHOOK_URL) found.push({ kind: "feishu", settings: { url: env.ALERT_FEISHU_WEBHOOK_URL, secret: env.ALERT_FEISHU_SECRET } });
  if (env.ALERT_WEBHOOK_URL) found.push({ kind: "webhook", settings: { url: env.ALERT_WEBHOOK_URL } });
  if (env.SMTP_URL && env.ALERT_EMAIL_TO) {
    found.push({ kind: "email", settings: { smtpUrl: env.SMTP_URL, from: env.ALERT_EMAIL_FROM ?? "dispatch-hub@localhost", to: env.ALERT_EMAIL_TO } });
  }
  return found.map((item) => ({ ...item, name: ENV_NAMES[item.kind], settings: cleanSettings(item.settings) }));
}
