/**
 * The alert rules' kinds (SPEC §8 / issue 11): plain data shared by the rules
 * and their stored settings (server/alerts/rule-settings.ts, with each kind's
 * thresholds) and the channel form's checkboxes.
 */
export const ruleKinds = [
  "delivery_timed_out",
  "delivery_rejected",
  "backlog_age",
  "inbound_refusals",
  "silence",
  "ship_from_store_overdue",
  "new_anomalies",
] as const;
export type RuleKind = (typeof ruleKinds)[number];

/** What an environment-provisioned channel receives, and a new channel's default (issue 11). */
export const defaultChannelRules: RuleKind[] = ["delivery_timed_out", "delivery_rejected", "backlog_age"];
