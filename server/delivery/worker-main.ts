// `npm run worker`: a delivery worker in its own process, beside any number of
// app instances on the same database.
import { closeHubDatabase, getHubDatabase } from "@/db/client";
import { loadConfigOrExit } from "@/server/config";
import { startDeliveryWorker } from "@/server/delivery/delivery-worker";

if (!loadConfigOrExit().DATABASE_URL) {
  console.error("npm run worker needs DATABASE_URL: the embedded database belongs to the app process.");
  process.exit(1);
}

const worker = await startDeliveryWorker({ hub: await getHubDatabase() });
console.log(`delivery worker ${worker.id} started`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await worker.stop();
    await closeHubDatabase();
    process.exit(0);
  });
}
