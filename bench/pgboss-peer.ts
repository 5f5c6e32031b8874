// The peer of the delivery benchmark: the same messages queued in pg-boss (v10)
// on the same database, each job POSTed to the same fake counterpart, with as
// many requests in flight as the hub's worker (16). Prints one JSON line.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import PgBoss from "pg-boss";
import { storeOrderBodies } from "@/bench/lib/store-orders";

const { values } = parseArgs({
  options: { url: { type: "string" }, count: { type: "string", default: "20000" }, target: { type: "string" }, workers: { type: "string", default: "16" }, batch: { type: "string", default: "100" } },
});
const count = Number(values.count);
const QUEUE = "bench-deliveries";
const boss = new PgBoss({ connectionString: values.url!, max: 10 });
boss.on("error", (error) => console.error("pg-boss", error));
await boss.start();
await boss.createQueue(QUEUE);

const next = storeOrderBodies(700);
for (let start = 0; start < count; start += 1000) {
  const jobs = Array.from({ length: Math.min(1000, count - start) }, () => ({ name: QUEUE, data: { payload: next().body } }));
  await boss.insert(jobs);
}

/** utime + stime in ms of this process's PostgreSQL backends (same machine; bench/profile-delivery.ts compares them with the hub's). */
async function backendsCpuMs(): Promise<number> {
  const { rows } = await boss.getDb().executeSql("select pid from pg_stat_activity where application_name = 'pgboss' and datname = current_database()", []);
  return (rows as { pid: number }[]).reduce((sum, { pid }) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return sum + (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return sum;
    }
  }, 0);
}

let done = 0;
let failed = 0;
let resolveDone!: () => void;
const finished = new Promise<void>((resolve) => (resolveDone = resolve));
const started = performance.now();
const cpuBefore = process.cpuUsage();
const backendsBefore = await backendsCpuMs();
// Each worker fetches a batch and sends it one job at a time: W workers = W
// requests in flight. A batch big enough to outlast pg-boss's 0.5 s minimum
// polling interval keeps every worker busy (smaller batches sit idle between polls).
for (let w = 0; w < Number(values.workers); w++) {
  await boss.work<{ payload: string }>(QUEUE, { batchSize: Number(values.batch), pollingIntervalSeconds: 0.5 }, async (jobs) => {
    for (const job of jobs) {
      const response = await fetch(`${values.target}/pos/ordermake`, { method: "POST", headers: { "content-type": "application/json", "x-hub-delivery-id": job.id }, body: job.data.payload });
      const answer = (await response.json()) as { success?: boolean };
      if (!answer.success) failed++;
    }
    done += jobs.length;
    if (done >= count) resolveDone();
  });
}
await finished;
// Wait for pg-boss to mark the last batches completed, so the time includes its bookkeeping.
for (;;) {
  const left = await boss.getQueueSize(QUEUE, { before: "completed" });
  if (left === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const backendMs = (await backendsCpuMs()) - backendsBefore;
await boss.stop({ graceful: false, wait: false }).catch(() => {});
console.log(JSON.stringify({ delivered: done, failed, seconds, perSecond: done / seconds, cpuMs: (cpu.user + cpu.system) / 1000, backendMs }));
process.exit(0);
