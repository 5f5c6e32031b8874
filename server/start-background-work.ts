import { getHubDatabase } from "@/db/client";
import { readConfig } from "@/server/config";
import { startDeliveryWorker } from "@/server/delivery/delivery-worker";
import { ensureFirstAdminOnce } from "@/server/users/first-admin";

const RETRY_MS = 5000;

/**
 * Opens (and migrates) the database, creates the first admin (printing its
 * password once) and starts the in-process delivery worker, retrying while the
 * database is away.
 */
export async function startBackgroundWork(): Promise<void> {
  for (;;) {
    try {
      const hub = await getHubDatabase();
      await ensureFirstAdminOnce(async () => hub.db);
      if (readConfig().WORKER === "off") return;
      const worker = await startDeliveryWorker({ hub });
      console.log(`delivery worker ${worker.id} started in the app process`);
      return;
    } catch (error) {
      console.error(`database not reachable at start-up; retrying in ${RETRY_MS / 1000} s`, error);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
