import { getHubDatabase, type Db } from "@/db/client";
import { readConfig } from "@/server/config";
import { startDeliveryWorker } from "@/server/delivery/delivery-worker";
import { forgetOldIdempotencyKeys } from "@/server/partner/forget-old-calls";
import { ensureFirstAdminOnce } from "@/server/users/first-admin";

const RETRY_MS = 5000;
const HOUR_MS = 3600_000;

function forgetOldIdempotencyKeysHourly(db: Db) {
  const run = () => {
    const olderThan = new Date(Date.now() - readConfig().IDEMPOTENCY_RETENTION_DAYS * 24 * HOUR_MS);
    forgetOldIdempotencyKeys(db, olderThan).catch((error: unknown) =>
      console.error("could not forget old idempotency keys; next try in an hour", error),
    );
  };
  run();
  setInterval(run, HOUR_MS).unref();
}

/**
 * Opens (and migrates) the database, creates the first admin (printing its
 * password once), starts the in-process delivery worker and the hourly clean-up
 * of idempotency keys past their retention, retrying while the database is away.
 */
export async function startBackgroundWork(): Promise<void> {
  for (;;) {
    try {
      const hub = await getHubDatabase();
      await ensureFirstAdminOnce(async () => hub.db);
      if (readConfig().WORKER === "off") return;
      const worker = await startDeliveryWorker({ hub });
      console.log(`delivery worker ${worker.id} started in the app process`);
      forgetOldIdempotencyKeysHourly(hub.db);
      return;
    } catch (error) {
      console.error(`database not reachable at start-up; retrying in ${RETRY_MS / 1000} s`, error);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
