import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { channelKinds } from "../../lib/alert-channel-kinds";
import { alertSendKinds, alertSendStates, type AlertSendKind } from "../../lib/states";

// The shapes of what the alert tables keep in jsonb; server/alerts/alert-message.ts
// composes them and each channel renders them.

/** The facts a rule found, stored on the condition and refreshed on every evaluation. */
export type ConditionDetails = {
  /** e.g. "OMS 投递超时：/pos/ordermake（超时）". */
  title: string;
  /** Label and value, in the order shown: [["受影响投递", "26 条"], …]. */
  facts: [string, string][];
  example?: string;
  /** Path inside the dashboard, e.g. "/problems/12"; made absolute with HUB_PUBLIC_URL. */
  linkPath: string;
  linkLabel?: string;
};

/** One alert as sent to a channel, before the channel's format (Chinese text; `link` absolute). */
export type AlertMessage = {
  kind: AlertSendKind;
  title: string;
  facts: [string, string][];
  example?: string;
  link?: string;
  linkLabel: string;
};

/** Where alerts go: the one list of kinds, lib/alert-channel-kinds.ts, shared with the pages and forms. */
export const alertChannelKind = pgEnum("alert_channel_kind", channelKinds);

/**
 * A destination for alerts. Set by an admin (source "admin": the URL, signing
 * secret or SMTP URL are kept AES-256-GCM encrypted in `secret_config`), or
 * provisioned from the environment (source "env": read-only, the secrets are
 * read from the environment at send time and never written here).
 */
export const alertChannels = pgTable(
  "alert_channels",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    kind: alertChannelKind().notNull(),
    name: text().notNull(),
    source: text({ enum: ["admin", "env"] }).notNull().default("admin"),
    enabled: boolean().notNull().default(true),
    // Rule kinds (server/alerts/alert-rules.ts) whose alerts this channel receives.
    rules: text().array().notNull(),
    secretConfig: text(),
    // What the admin pages show: the URL's host and path, masked secrets, the recipients.
    summary: jsonb().$type<Record<string, string>>().notNull(),
    // Messages a minute at most; the vendors' robots take 20 (WeCom, DingTalk).
    ratePerMinute: integer().notNull().default(20),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdBy: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedBy: text(),
    removedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("alert_channels_env_kind").on(t.kind).where(sql`${t.source} = 'env'`)],
);

/** An admin's switch and thresholds for one rule kind; a kind without a row runs on its defaults. */
export const alertRules = pgTable("alert_rules", {
  rule: text().primaryKey(),
  enabled: boolean().notNull(),
  params: jsonb().$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: text(),
});

/**
 * Something a rule found wrong, from when it started until it stopped: the
 * unit that gets one "opened", reminders, and one "resolved" message. At most
 * one open condition per (rule, subject).
 */
export const alertConditions = pgTable(
  "alert_conditions",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    rule: text().notNull(),
    // What it is about within the rule: "problem:12", "side:oms", "kind:duplicate_serial" …
    subject: text().notNull(),
    problemId: bigint({ mode: "number" }),
    // The latest facts (title, counts, example error, link) the messages are written from.
    details: jsonb().$type<ConditionDetails>().notNull(),
    openedAt: timestamp({ withTimezone: true }).notNull(),
    lastRemindedAt: timestamp({ withTimezone: true }),
    resolvedAt: timestamp({ withTimezone: true }),
    // Muted (or its rule switched off): closed without a message.
    closedSilently: boolean().notNull().default(false),
  },
  (t) => [
    uniqueIndex("alert_conditions_one_open").on(t.rule, t.subject).where(sql`${t.resolvedAt} is null`),
    index("alert_conditions_by_opened").on(t.openedAt),
  ],
);

export const alertSendKind = pgEnum("alert_send_kind", alertSendKinds);
export const alertSendState = pgEnum("alert_send_state", alertSendStates);

/** The alert-send log and the alerts' own outbox: one row per message per channel, retried with back-off. */
export const alertSends = pgTable(
  "alert_sends",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    channelId: bigint({ mode: "number" })
      .notNull()
      .references(() => alertChannels.id, { onDelete: "cascade" }),
    conditionId: bigint({ mode: "number" }).references(() => alertConditions.id, { onDelete: "set null" }),
    kind: alertSendKind().notNull(),
    state: alertSendState().notNull().default("pending"),
    title: text().notNull(),
    // The message (server/alerts/alert-message.ts), in Chinese; each channel renders it in its own format.
    message: jsonb().$type<AlertMessage>().notNull(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp({ withTimezone: true }),
    lastAttemptAt: timestamp({ withTimezone: true }),
    lastError: text(),
    lastStatus: integer(),
    requestedBy: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("alert_sends_pending_due").on(t.nextAttemptAt, t.id).where(sql`${t.state} = 'pending'`),
    index("alert_sends_by_channel_attempt").on(t.channelId, t.lastAttemptAt),
    index("alert_sends_by_created").on(t.createdAt),
  ],
);

/** Who changed which channel or rule, and how (secrets masked). */
export const alertAudit = pgTable(
  "alert_audit",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    actor: text().notNull(),
    entity: text({ enum: ["channel", "rule"] }).notNull(),
    entityKey: text().notNull(),
    action: text().notNull(),
    before: jsonb(),
    after: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("alert_audit_by_created").on(t.createdAt)],
);
