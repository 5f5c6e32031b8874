import type { ConditionDetails } from "@/db/schema/alerts";
import type { Firing, Silenced } from "@/server/alerts/alert-rules";
import type { RuleKind } from "@/lib/alert-rule-kinds";
import type { RuleSettings } from "@/server/alerts/rule-settings";

/** An open alert condition as stored (alert_conditions with resolved_at null). */
export type OpenCondition = {
  id: number;
  rule: string;
  subject: string;
  openedAt: Date;
  lastRemindedAt: Date | null;
  details: ConditionDetails;
};

/** What one evaluation changes, and which messages it sends. */
export type ConditionPlan = {
  /** New conditions: each sends "opened". */
  open: Firing[];
  /** Still firing: refresh their details; `remind` ones send a reminder. */
  keep: { condition: OpenCondition; details: ConditionDetails; remind: boolean }[];
  /** No longer firing: each sends "resolved" with its last details. */
  resolve: OpenCondition[];
  /** Muted, or its rule switched off: closed without a message. */
  closeSilently: OpenCondition[];
};

const key = (rule: string, subject: string) => `${rule}\u0000${subject}`;

/**
 * Compares what the rules find now with the conditions already open: one
 * "opened" message when a condition starts, a reminder every
 * `reminderMinutes` (0: none) while it holds and is not being handled, one
 * "resolved" when it stops. Pure; evaluate-alerts.ts applies the plan.
 * @param now the evaluation instant (injected clock).
 */
export function reconcileConditions(input: {
  open: OpenCondition[];
  firing: Firing[];
  silenced: Silenced[];
  settings: RuleSettings;
  now: Date;
}): ConditionPlan {
  const { settings, now } = input;
  const firing = new Map(input.firing.map((item) => [key(item.rule, item.subject), item]));
  const silenced = new Set(input.silenced.map((item) => key(item.rule, item.subject)));
  const plan: ConditionPlan = { open: [], keep: [], resolve: [], closeSilently: [] };
  const seen = new Set<string>();

  for (const condition of input.open) {
    const id = key(condition.rule, condition.subject);
    seen.add(id);
    const setting = settings[condition.rule as RuleKind];
    const now_firing = firing.get(id);
    if (!setting?.enabled || silenced.has(id)) {
      plan.closeSilently.push(condition);
    } else if (now_firing) {
      const every = setting.params.reminderMinutes * 60_000;
      const since = (condition.lastRemindedAt ?? condition.openedAt).getTime();
      plan.keep.push({ condition, details: now_firing.details, remind: now_firing.remind && every > 0 && now.getTime() - since >= every });
    } else {
      plan.resolve.push(condition);
    }
  }
  for (const [id, item] of firing) if (!seen.has(id)) plan.open.push(item);
  return plan;
}
