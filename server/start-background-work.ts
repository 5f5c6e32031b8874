import { getHubDatabase, type Db } from "@/db/client";
import { startAlertWorker } from "@/server/alerts/alert-worker";
import { getConfig } from "@/server/config";
import { startDeliveryWorker } from "@/server/delivery/delivery-worker";
import { forgetOldRowsAndReport } from "@/server/maintenance/forget-old-rows";
import { maintainLogPartitions } from "@/server/maintenance/log-partitions";
import { forgetOldIdempotencyKeys } from "@/server/partner/forget-old-calls";
import { log as rootLog } from "@/server/log";
import { onShutdown } from "@/server/shutdown";
import { ensureFirstAdminOnce } from "@/server/users/first-admin";

const log = rootLog.child({ component: "background" });

const RETRY_MS = 5000;
const HOUR_MS = 3600_000;
// Start-up is retried while the database is away: the alert loop starts once.
let alertsStarted = false;

function forgetOldIdempotencyKeysHourly(db: Db) {
  const run = () => {
    const olderThan = new Date(Date.now() - getConfig().IDEMPOTENCY_RETENTION_DAYS * 24 * HOUR_MS);
    forgetOldIdempotencyKeys(db, olderThan).catch((error: unknown) =>
      log.error({ err: error }, "could not forget old idempotency keys; next try in an hour"),
    );
  };
  run();
  setInterval(run, HOUR_MS).unref();
}

let maintainingLog = false;

function maintainLogPartitionsDaily(db: Db) {
  // Once per process, even when a later start-up step fails and the start-up is retried.
  if (maintainingLog) return;
  maintainingLog = true;
  const run = () => {
    void maintainLogPartitions(db, new Date(), getConfig().LOG_RETENTION_DAYS)
      .then(({ created, dropped }) => {
        if (created.length + dropped.length > 0) log.info({ created, dropped }, "log partitions created and dropped");
      })
      .then(() => forgetOldRowsAndReport(db, new Date(), getConfig().LOG_RETENTION_DAYS));
  };
  run();
  setInterval(run, 24 * HOUR_MS).unref();
}

/**
 * Opens (and migrates) the database, creates the first admin (printing its
 * password once), starts the daily upkeep of the log's monthly partitions and
 * of the other tables that grow per call or event (in every app process, worker or not), the in-process delivery worker, the hourly
 * clean-up of idempotency keys past their retention and the alert loop
 * (ALERTS=off to leave it to other instances), retrying while the database is away.
 */
export async function startBackgroundWork(): Promise<void> {
  for (;;) {
    try {
      const hub = await getHubDatabase();
      await ensureFirstAdminOnce(() => Promise.resolve(hub.db));
      maintainLogPartitionsDaily(hub.db);
      // Alerts run apart from deliveries: an instance with WORKER=off still tells ops.
      if (getConfig().ALERTS === "on" && !alertsStarted) {
        const alerts = await startAlertWorker({ db: hub.db, listen: hub.listen });
        alertsStarted = true;
        onShutdown("alert loop", () => alerts.stop());
        log.info({ worker: alerts.id }, "alert loop started");
      }
      if (getConfig().WORKER === "off") return;
      const worker = await startDeliveryWorker({ hub });
      onShutdown("delivery worker", async (graceMs) => void (await worker.stop({ graceMs })));
      log.info({ worker: worker.id }, "delivery worker started in the app process");
      forgetOldIdempotencyKeysHourly(hub.db);
      return;
    } catch (error) {
      log.error({ err: error, retryInMs: RETRY_MS }, "database not reachable at start-up; retrying");
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
