import { z } from "zod";
import { defaultChannelRules, ruleKinds, type RuleKind } from "@/lib/alert-rule-kinds";

/**
 * The admin's thresholds for each alert rule kind (SPEC §8 / issue 11; the kinds
 * themselves are in lib/alert-rule-kinds.ts): zod schemas and the settings in
 * force, shared by the rules (alert-rules.ts) and the stored settings
 * (rules-store.ts) — no evaluation code here.
 */

/** The window inbound refusals are counted over (SPEC §8: "over 5 minutes"). */
export const REFUSAL_WINDOW_MS = 5 * 60_000;
/** Ship-from-store notices must be checked out within 24 h (seed: 24小时内出库). */
export const SHIP_FROM_STORE_SLA_MS = 24 * 3600_000;

const reminderMinutes = (fallback: number) => z.coerce.number().int().min(0).max(7 * 24 * 60).default(fallback);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM");

/** Each rule's thresholds; `reminderMinutes` 0 = no reminders. Units in the names. */
export const ruleParamSchemas = {
  delivery_timed_out: z.object({ reminderMinutes: reminderMinutes(60) }),
  delivery_rejected: z.object({ reminderMinutes: reminderMinutes(60) }),
  backlog_age: z.object({ minutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30), reminderMinutes: reminderMinutes(60) }),
  inbound_refusals: z.object({
    percent: z.coerce.number().min(1).max(100).default(20),
    // Below this many calls in the window the share means nothing (3 calls, 1 refused = 33 %).
    minCalls: z.coerce.number().int().min(1).max(100_000).default(20),
    reminderMinutes: reminderMinutes(60),
  }),
  silence: z
    .object({
      minutes: z.coerce.number().int().min(1).max(24 * 60).default(30),
      // Business hours in Asia/Shanghai, every day.
      from: clock.default("09:00"),
      to: clock.default("21:00"),
      reminderMinutes: reminderMinutes(60),
    })
    .refine((value) => value.from < value.to, { message: "营业开始须早于结束 (from must be before to)", path: ["to"] }),
  ship_from_store_overdue: z.object({ reminderMinutes: reminderMinutes(240) }),
  new_anomalies: z.object({ reminderMinutes: reminderMinutes(0) }),
} satisfies Record<RuleKind, z.ZodType>;

export type RuleParams<K extends RuleKind> = z.output<(typeof ruleParamSchemas)[K]>;
export type RuleSetting<K extends RuleKind = RuleKind> = { rule: K; enabled: boolean; params: RuleParams<K> };
export type RuleSettings = { [K in RuleKind]: RuleSetting<K> };

const enabledByDefault = new Set<RuleKind>(defaultChannelRules);

/**
 * The settings in force: each kind's stored row, else its defaults. A stored
 * row that no longer parses (a threshold removed in an upgrade) falls back to
 * the defaults rather than stop alerting.
 */
export function ruleSettings(rows: { rule: string; enabled: boolean; params: Record<string, unknown> }[]): RuleSettings {
  const stored = new Map(rows.map((row) => [row.rule, row]));
  const settings = {} as Record<RuleKind, RuleSetting>;
  for (const rule of ruleKinds) {
    const row = stored.get(rule);
    const parsed = ruleParamSchemas[rule].safeParse(row?.params ?? {});
    settings[rule] = {
      rule,
      enabled: row?.enabled ?? enabledByDefault.has(rule),
      params: parsed.success ? parsed.data : ruleParamSchemas[rule].parse({}),
    };
  }
  return settings as RuleSettings;
}
