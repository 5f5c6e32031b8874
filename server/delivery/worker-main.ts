// `npm run worker`: a delivery worker in its own process, beside any number of
// app instances on the same database. SIGTERM / SIGINT drain it: no new claims,
// attempts in flight finish within SHUTDOWN_GRACE_MS or give their leases back,
// the pool closes, exit 0.
import { closeHubDatabase, getHubDatabase } from "@/db/client";
import { loadConfigOrExit } from "@/server/config";
import { routeProcessOutputToLog } from "@/server/console-to-log";
import { startDeliveryWorker } from "@/server/delivery/delivery-worker";
import { log } from "@/server/log";

const config = loadConfigOrExit();
// A library's console line or a deprecation is one JSON line at its level, as in `npm start`.
routeProcessOutputToLog(log);
if (!config.DATABASE_URL) {
  process.stderr.write("npm run worker needs DATABASE_URL: the embedded database belongs to the app process.\n");
  process.exit(1);
}

const worker = await startDeliveryWorker({ hub: await getHubDatabase() });
log.info({ worker: worker.id }, "delivery worker started");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void drain(signal));
}

async function drain(signal: NodeJS.Signals): Promise<void> {
  log.info({ worker: worker.id, signal }, "draining: no new claims");
  const { released } = await worker.stop({ graceMs: config.SHUTDOWN_GRACE_MS });
  await closeHubDatabase().catch(() => {});
  log.info({ worker: worker.id, released }, "delivery worker stopped");
  process.exit(0);
}
