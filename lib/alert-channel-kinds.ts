/**
 * The one list of alert channel kinds (the database enum `alert_channel_kind`,
 * db/schema/alerts.ts, is made from it) and what each needs to be set up.
 * Plain data, no imports: the channel form imports it.
 */
export const channelKinds = ["wecom", "dingtalk", "feishu", "email", "webhook"] as const;
export type ChannelKind = (typeof channelKinds)[number];

/**
 * A channel's secret settings, as an admin enters them or the environment
 * provides them. `url`: the robot's webhook (WeCom's `key`, DingTalk's
 * `access_token` are in it, so it is a secret too); `secret`: DingTalk's or
 * Feishu's signing secret; `smtpUrl` (`smtps://user:pass@host:465`), `from`,
 * `to` (comma-separated) for e-mail.
 */
export type ChannelSettings = {
  url?: string;
  secret?: string;
  smtpUrl?: string;
  from?: string;
  to?: string;
};

/** Which settings each kind needs (required) or may have (optional). */
export const channelFields: Record<ChannelKind, { required: (keyof ChannelSettings)[]; optional: (keyof ChannelSettings)[] }> = {
  wecom: { required: ["url"], optional: [] },
  dingtalk: { required: ["url"], optional: ["secret"] },
  feishu: { required: ["url"], optional: ["secret"] },
  webhook: { required: ["url"], optional: ["secret"] },
  email: { required: ["smtpUrl", "from", "to"], optional: [] },
};
