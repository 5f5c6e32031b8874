// `npm run worker`: a delivery worker in its own process, beside any number of
// app instances on the same database.
import { closeHubDatabase, getHubDatabase } from "@/db/client";
import { loadConfigOrExit } from "@/server/config";
import { startDeliveryWorker } from "@/server/delivery/delivery-worker";
import { log } from "@/server/log";

if (!loadConfigOrExit().DATABASE_URL) {
  process.stderr.write("npm run worker needs DATABASE_URL: the embedded database belongs to the app process.\n");
  process.exit(1);
}

const worker = await startDeliveryWorker({ hub: await getHubDatabase() });
log.info({ worker: worker.id }, "delivery worker started");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await worker.stop();
    await closeHubDatabase();
    process.exit(0);
  });
}
