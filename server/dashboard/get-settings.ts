import type { HubConfig } from "@/server/config";
import { liveConfig } from "@/server/settings/live-settings";
import { FIRST_RETRY_MS, MAX_RETRY_MS } from "@/server/delivery/retry-policy";
import { targetFor } from "@/server/delivery/targets";

/** The delivery targets and retry policy in force. Tokens are reported as set or not, never shown. */
export function getSettings(config: HubConfig = liveConfig()) {
  const target = (side: "pos" | "oms") => {
    const found = targetFor(side, config);
    return { baseUrl: found?.baseUrl ?? null, tokenSet: Boolean(found?.token) };
  };
  return {
    targets: { pos: target("pos"), oms: target("oms") },
    retry: {
      attemptTimeoutMs: config.DELIVERY_TIMEOUT_MS,
      concurrency: config.DELIVERY_CONCURRENCY,
      deadlineSeconds: config.DELIVERY_DEADLINE_SECONDS,
      firstRetryMs: FIRST_RETRY_MS,
      maxRetryMs: MAX_RETRY_MS,
    },
    voidSyncBudgetMs: config.VOID_SYNC_BUDGET_MS,
    idempotencyRetentionDays: config.IDEMPOTENCY_RETENTION_DAYS,
    worker: config.WORKER,
    database: config.DATABASE_URL ? "postgres" : `pglite (${config.DATA_DIR})`,
    bootstrapTokens: { pos: Boolean(config.HUB_POS_TOKEN), oms: Boolean(config.HUB_OMS_TOKEN) },
  };
}
