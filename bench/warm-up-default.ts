// How many warm-up calls are worth their start time (issue 13): `npm start` on
// the embedded database (PGlite, DATABASE_URL unset, a fresh DATA_DIR) or on
// PostgreSQL (--postgres), once per WARM_UP_CALLS value, values interleaved over
// rounds. Per start: spawn → /api/health/ready (wall ms, polled every 250 ms),
// the warm-up's own ms (its log line), the hub's CPU until ready, then store
// orders sent one after another in batches of growing size and the hub's CPU
// per call in each (/proc/<pid>/stat, idle CPU subtracted) — what a warm-up
// saves is that excess over the warm figure on the first calls after ready.
//
// `npx tsx bench/warm-up-default.ts [--postgres] [--calls 300,100,30,0] [--rounds 2] [--port 3320]`
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { dropDatabase, prepareDatabase } from "@/bench/lib/bench-db";
import { POS_TOKEN, startHub } from "@/bench/lib/hub-server";
import { storeOrderBodies } from "@/bench/lib/store-orders";

const { values } = parseArgs({
  options: { postgres: { type: "boolean", default: false }, calls: { type: "string", default: "300,100,30,0" }, rounds: { type: "string", default: "2" }, port: { type: "string", default: "3320" } },
});
const counts = values.calls.split(",").map(Number);
const BATCHES = [1, 9, 40, 150, 200];
const cpuMsOf = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

async function once(calls: number, stream: number) {
  const folder = mkdtempSync(path.join(tmpdir(), "hub-warm-default-"));
  const name = `hub_warm_default_${Date.now()}`;
  const databaseUrl = values.postgres ? await prepareDatabase(name, { migrate: false }) : undefined;
  const started = performance.now();
  const spawnedAt = Date.now();
  const hub = await startHub({ port: Number(values.port), databaseUrl, env: { WARM_UP_CALLS: String(calls), LOG_LEVEL: "info", DATA_DIR: path.join(folder, "data"), WORKER: "off" } });
  const readyMs = performance.now() - started;
  const cpuAtReady = cpuMsOf(hub.pid);
  const warmLine = hub.child.output.find((line) => line.includes("warmed up"));
  const warmUpMs = warmLine ? (JSON.parse(warmLine) as { ms: number }).ms : 0;
  const listeningLine = hub.child.output.find((line) => line.includes('"listening"'));
  const listeningMs = listeningLine ? (JSON.parse(listeningLine) as { time: number }).time - spawnedAt : NaN;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const next = storeOrderBodies(stream);
  const send = () =>
    new Promise<{ ms: number; status: number }>((resolve, reject) => {
      const { body } = next();
      const at = performance.now();
      const call = request(`${hub.url}/pos/ordermake`, { method: "POST", agent, headers: { "content-type": "application/json", authorization: `Bearer ${POS_TOKEN}`, "content-length": Buffer.byteLength(body) } }, (response) => {
        response.resume();
        response.on("end", () => resolve({ ms: performance.now() - at, status: response.statusCode ?? 0 }));
      });
      call.on("error", reject);
      call.end(body);
    });
  const perBatch: string[] = [];
  try {
    // No idle subtraction beyond the worker being off: the process then only runs its timers.
    for (const size of BATCHES) {
      const before = cpuMsOf(hub.pid);
      let slowest = 0;
      let refused = 0;
      for (let i = 0; i < size; i++) {
        const { ms, status } = await send();
        slowest = Math.max(slowest, ms);
        if (status !== 200) refused++;
      }
      perBatch.push(`${((cpuMsOf(hub.pid) - before) / size).toFixed(1)} (max ${slowest.toFixed(0)}${refused ? `, ${refused} not 200` : ""})`);
    }
  } finally {
    agent.destroy();
    await hub.stop();
    rmSync(folder, { recursive: true, force: true });
    if (databaseUrl) await dropDatabase(name);
  }
  console.log(`| ${calls} | ${listeningMs} | ${readyMs.toFixed(0)} | ${warmUpMs} | ${cpuAtReady} | ${perBatch.join(" | ")} |`);
}

console.log(`${values.postgres ? "PostgreSQL" : "embedded database (PGlite)"}, load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
console.log(`| WARM_UP_CALLS | spawn → listening ms | spawn → ready ms | warm-up ms | hub CPU ms at ready | ${BATCHES.map((size) => `CPU ms/call (slowest ms): next ${size}`).join(" | ")} |`);
let stream = 500;
for (let round = 0; round < Number(values.rounds); round++) for (const calls of counts) await once(calls, stream++);
console.log(`load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
process.exit(0);
