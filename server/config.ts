import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

const configSchema = z.object({
  DATABASE_URL: optionalText,
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().trim().min(1).default("./.data"),
  HUB_POS_TOKEN: optionalText,
  HUB_OMS_TOKEN: optionalText,
  OMS_BASE_URL: optionalText,
  POS_BASE_URL: optionalText,
  OMS_TOKEN: optionalText,
  POS_TOKEN: optionalText,
  DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  DELIVERY_DEADLINE_SECONDS: z.coerce.number().int().min(1).max(30 * 24 * 3600).default(3600),
  VOID_SYNC_BUDGET_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
  // Partners retry for at most their own deadline; a month of replayable answers is ample.
  IDEMPOTENCY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // SPEC §9: the exchange log and attempt history are kept this long, dropped a month at a time.
  LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(180),
  WORKER: z.enum(["on", "off"]).default("on"),
  // Alerts (README "Alerts"). Channels provisioned from the environment: on, read-only in admin.
  ALERT_WECOM_WEBHOOK_URL: optionalText,
  ALERT_DINGTALK_WEBHOOK_URL: optionalText,
  ALERT_DINGTALK_SECRET: optionalText,
  ALERT_FEISHU_WEBHOOK_URL: optionalText,
  ALERT_FEISHU_SECRET: optionalText,
  ALERT_WEBHOOK_URL: optionalText,
  SMTP_URL: optionalText,
  ALERT_EMAIL_FROM: optionalText,
  ALERT_EMAIL_TO: optionalText,
  // The dashboard's address as people open it, for the links in alerts (PUBLIC_URL is read too).
  HUB_PUBLIC_URL: optionalText,
  PUBLIC_URL: optionalText,
  // Encrypts channel secrets at rest; AUTH_SECRET when unset (changing either makes stored secrets unreadable).
  ALERT_SECRET_KEY: optionalText,
  ALERT_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  ALERTS: z.enum(["on", "off"]).default("on"),
  ALERT_EVALUATE_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
});

export type HubConfig = z.infer<typeof configSchema>;

/** Read on every call: tests and the simulator change the environment between runs. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  return configSchema.parse(env);
}
