import { z } from "zod";
import { liveSettings } from "@/lib/setting-kinds";

/**
 * The hub's configuration: the environment, validated once per process.
 *
 * - `getConfig()` returns the one parsed object (parsed on first use, then kept
 *   on globalThis: Next.js may load this module once per route bundle).
 * - `loadConfigOrExit()` is for entry points (instrumentation, `npm start`,
 *   `npm run worker`): a bad value prints one line naming the variable and the
 *   process exits 1 before it takes any call (SPEC §9).
 * - Tests set values with `setConfigForTests()` / `resetConfigForTests()`
 *   instead of changing `process.env` after start.
 *
 * To add a variable: add it to `configSchema` below (with its default and
 * bounds), to `.env.example` and to README's configuration table.
 */

const optionalText = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

/**
 * An optional URL whose scheme is one of `protocols` (e.g. `["http:", "https:"]`).
 * A typo such as `127.0.0.1:4102` (no scheme) would otherwise start the hub and
 * fail every delivery or alert with "Invalid URL"; SPEC §9 wants it to stop the start.
 */
const optionalUrl = (protocols: string[]) =>
  optionalText.refine((value) => value === undefined || protocols.includes(URL.parse(value)?.protocol ?? ""), {
    message: `must be a URL starting with ${protocols.map((protocol) => `${protocol}//`).join(" or ")}`,
  });
const httpUrl = optionalUrl(["http:", "https:"]);
const bounded = (limits: { min: number; max: number }) => z.coerce.number().int().min(limits.min).max(limits.max);

const configSchema = z.object({
  DATABASE_URL: optionalUrl(["postgres:", "postgresql:"]),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().trim().min(1).default("./.data"),
  HUB_POS_TOKEN: optionalText,
  HUB_OMS_TOKEN: optionalText,
  OMS_BASE_URL: httpUrl,
  POS_BASE_URL: httpUrl,
  OMS_TOKEN: optionalText,
  POS_TOKEN: optionalText,
  // Bounds shared with the settings page, where an admin may change these live.
  DELIVERY_TIMEOUT_MS: bounded(liveSettings.DELIVERY_TIMEOUT_MS).default(10_000),
  DELIVERY_CONCURRENCY: bounded(liveSettings.DELIVERY_CONCURRENCY).default(16),
  DELIVERY_DEADLINE_SECONDS: bounded(liveSettings.DELIVERY_DEADLINE_SECONDS).default(3600),
  VOID_SYNC_BUDGET_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
  // Partners retry for at most their own deadline; a month of replayable answers is ample.
  IDEMPOTENCY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // SPEC §9: the exchange log and attempt history are kept this long, dropped a month at a time.
  LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(180),
  WORKER: z.enum(["on", "off"]).default("on"),
  // Alerts (README "Alerts"). Channels provisioned from the environment: on, read-only in admin.
  ALERT_WECOM_WEBHOOK_URL: httpUrl,
  ALERT_DINGTALK_WEBHOOK_URL: httpUrl,
  ALERT_DINGTALK_SECRET: optionalText,
  ALERT_FEISHU_WEBHOOK_URL: httpUrl,
  ALERT_FEISHU_SECRET: optionalText,
  ALERT_WEBHOOK_URL: httpUrl,
  SMTP_URL: optionalUrl(["smtp:", "smtps:"]),
  ALERT_EMAIL_FROM: optionalText,
  ALERT_EMAIL_TO: optionalText,
  // The dashboard's address as people open it, for the links in alerts (PUBLIC_URL is read too).
  HUB_PUBLIC_URL: httpUrl,
  PUBLIC_URL: httpUrl,
  // Encrypts channel secrets at rest; AUTH_SECRET when unset (changing either makes stored secrets unreadable).
  ALERT_SECRET_KEY: optionalText,
  ALERT_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  ALERTS: z.enum(["on", "off"]).default("on"),
  ALERT_EVALUATE_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  ADMIN_EMAIL: optionalText,
  ADMIN_PASSWORD: optionalText,
  AUTH_SECRET: optionalText,
  // `npm start` (server/http-main.ts): where it listens, and how long a client may take to send a request.
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  HOST: optionalText,
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  // SIGTERM: how long attempts in flight may finish before their leases are given back.
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  // Bearer token GET /metrics asks for; unset: open (keep the port private).
  METRICS_TOKEN: optionalText,
  // off: nothing is counted (every observe/inc a no-op, no process metrics) and GET /metrics answers 404 — for
  // measuring what counting costs (npm run bench), or where nothing scrapes.
  METRICS: z.enum(["on", "off"]).default("on"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Security, partner side (SPEC §10; see server/client-address.ts, partner/refused-calls.ts, partner/in-flight.ts).
  // How many proxies in front of the hub append to x-forwarded-for; 0 = partners connect directly.
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Partner calls one token may have in flight at once per instance; past it a 503 with Retry-After.
  PARTNER_CALLS_IN_FLIGHT_PER_TOKEN: z.coerce.number().int().min(1).max(1000).default(32),
  // Partner calls one instance runs or queues for the database at once, all tokens together; past it a 503 with Retry-After.
  PARTNER_CALLS_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(256),
  // How long a partner call may wait for the database (a pool connection; the embedded one's single one) before it gets 503.
  PARTNER_QUEUE_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  // `npm start`: store orders the instance sends itself (rolled back, nothing stored) before it says ready; 0 = none.
  // Unset: a default per database (warmUpCalls in server/partner/warm-up.ts).
  WARM_UP_CALLS: z.coerce.number().int().min(0).max(100_000).optional(),
  // How late the event loop may run before partner calls are answered 503 in node:http, before Next.js (load-shedding.ts).
  PARTNER_SHED_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  // Refused partner calls logged in full (body cut to 4 KiB) per client address and minute; past it they are counted.
  REFUSED_CALLS_LOGGED_PER_ADDRESS: z.coerce.number().int().min(0).max(1_000_000).default(20),
  // The same over all addresses, per instance and minute, so spoofed addresses cannot add rows without bound.
  REFUSED_CALLS_LOGGED_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
});

export type HubConfig = z.infer<typeof configSchema>;

/** A value in the environment the hub cannot run with; `variables` names each one. */
export class ConfigError extends Error {
  constructor(
    readonly variables: string[],
    message: string,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Validates an environment (or a config-shaped object: numbers are accepted
 * where the environment has text). Returns the typed config; throws ConfigError
 * whose message names every bad variable and what it must be.
 */
export function parseConfig(env: Record<string, unknown>): HubConfig {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "?"), message: issue.message }));
  const variables = [...new Set(problems.map((problem) => problem.variable))];
  const detail = problems.map((problem) => `${problem.variable}: ${problem.message} (got ${JSON.stringify(shown(problem.variable, env[problem.variable]))})`);
  throw new ConfigError(variables, `invalid configuration — ${detail.join("; ")}`);
}

// Secrets are never echoed back, even when they are the bad value (URLs may carry a password or a robot key).
const shown = (variable: string, value: unknown) => (/TOKEN|SECRET|PASSWORD|_URL$/.test(variable) && value ? "***" : value);

const holder = globalThis as unknown as { hubConfig?: HubConfig };

/** The configuration in force; parses `process.env` on first call. Throws ConfigError on a bad value. */
export function getConfig(): HubConfig {
  holder.hubConfig ??= parseConfig(process.env);
  return holder.hubConfig;
}

/**
 * For entry points: the configuration, or — on a bad value — one line on
 * stderr naming the variable and `process.exit(1)`, so the process never takes
 * a call it would answer with a 500.
 */
export function loadConfigOrExit(): HubConfig {
  try {
    return getConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`dispatch hub not started: ${error.message}\n`);
    process.exit(1);
  }
}

/**
 * Tests only: merges `values` over the configuration in force (validated like
 * the environment; `undefined` unsets an optional value). Child processes a test
 * spawns still take their configuration from the environment they are given.
 */
export function setConfigForTests(values: Partial<HubConfig>): HubConfig {
  holder.hubConfig = parseConfig({ ...getConfig(), ...values });
  return holder.hubConfig;
}

/** Tests only: forget the parsed configuration; the next getConfig() reads `process.env` again. */
export function resetConfigForTests(): void {
  holder.hubConfig = undefined;
}
