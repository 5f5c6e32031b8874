// What a fresh hub does in its first seconds under load (issue 13, "find out
// why a fresh start is so much worse"): the hub (`npm start` over the build in
// NEXT_DIST_DIR) on a new PostgreSQL database, a store POS process at a fixed
// rate, a fake OMS recording arrivals; meanwhile pg_stat_activity (the hub's
// connections: when each opened, what each waits on) and the hub process's CPU
// (/proc/<pid>/stat) are sampled every 100 ms. Prints, per 500 ms of send time:
// calls sent, statuses, answer p50 / max (ms), accept → delivered p50 (ms), the
// hub's connections open and its CPU share; then each connection's open time
// relative to the first call.
//
// `npx tsx bench/fresh-start-timeline.ts [--rate 200] [--seconds 6] [--port 3109]`
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { dropDatabase, prepareDatabase } from "@/bench/lib/bench-db";
import { startFake } from "@/bench/lib/fake-process";
import { startHub } from "@/bench/lib/hub-server";
import { arrivals, runProbe } from "@/bench/from-outside";
import { summarize } from "@/bench/lib/stats";

const { values } = parseArgs({ options: { rate: { type: "string", default: "200" }, seconds: { type: "string", default: "6" }, port: { type: "string", default: "3109" } } });
const rate = Number(values.rate);
const name = `hub_timeline_${Date.now()}`;
const databaseUrl = await prepareDatabase(name, { migrate: false });
const folder = mkdtempSync(path.join(tmpdir(), "hub-timeline-"));
const log = path.join(folder, "arrivals.log");
const fake = await startFake(0, log);
const startAsked = Date.now();
const hub = await startHub({ port: Number(values.port), databaseUrl, env: { OMS_BASE_URL: fake.url } });
console.log(`hub answered its readiness probe ${Date.now() - startAsked} ms after start`);
const watcher = postgres(databaseUrl, { max: 1, onnotice: () => {} });
// /proc/<pid>/stat counts CPU time in clock ticks (USER_HZ, 100 on Linux).
const ticks = 100;
const cpuTicks = () => { const fields = readFileSync(`/proc/${hub.pid}/stat`, "utf8").split(") ")[1]!.split(" "); return Number(fields[11]) + Number(fields[12]); };

type Sample = { at: number; connections: number; active: number; waits: Record<string, number>; cpu: number };
const samples: Sample[] = [];
const opened = new Map<number, number>();
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const at = Date.now();
    const rows = await watcher<{ pid: number; backendStart: Date; state: string | null; waitEvent: string | null }[]>`
      select pid, backend_start as "backendStart", state, wait_event as "waitEvent" from pg_stat_activity
      where datname = ${name} and application_name like 'dispatch-hub %'`;
    for (const row of rows) if (!opened.has(row.pid)) opened.set(row.pid, row.backendStart.getTime());
    const waits: Record<string, number> = {};
    for (const row of rows) if (row.state === "active" && row.waitEvent) waits[row.waitEvent] = (waits[row.waitEvent] ?? 0) + 1;
    samples.push({ at, connections: rows.length, active: rows.filter((row) => row.state === "active").length, waits, cpu: cpuTicks() });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
})();

try {
  const calls = await runProbe(hub.url, rate, Number(values.seconds), 950);
  const seenAll = async () => { for (let i = 0; i < 300; i++) { const seen = arrivals(log); if (calls.every((call) => call.status !== 200 || seen.has(call.dispatchNo))) return seen; await new Promise((r) => setTimeout(r, 200)); } return arrivals(log); };
  const seen = await seenAll();
  sampling = false;
  await sampler;
  const t0 = Math.min(...calls.map((call) => call.sentAt));
  console.log(`t (ms from first call) | sent | statuses | answered p50 / max ms | delivered p50 ms | hub connections | hub CPU %`);
  const lastAt = Math.max(...calls.map((call) => call.sentAt + call.answerMs));
  for (let from = 0; from <= lastAt - t0; from += 500) {
    const bucket = calls.filter((call) => call.sentAt - t0 >= from && call.sentAt - t0 < from + 500);
    const inWindow = samples.filter((sample) => sample.at - t0 >= from && sample.at - t0 < from + 500);
    const cpu = inWindow.length > 1 ? ((inWindow.at(-1)!.cpu - inWindow[0]!.cpu) / ticks) / ((inWindow.at(-1)!.at - inWindow[0]!.at) / 1000) : Number.NaN;
    const statuses: Record<string, number> = {};
    for (const call of bucket) statuses[String(call.status ?? call.error)] = (statuses[String(call.status ?? call.error)] ?? 0) + 1;
    const answered = summarize(bucket.map((call) => call.answerMs));
    const delivered = summarize(bucket.flatMap((call) => (call.status === 200 && seen.has(call.dispatchNo) ? [seen.get(call.dispatchNo)! - call.sentAt] : [])));
    const waits = inWindow.at(-1)?.waits ?? {};
    console.log(`${String(from).padStart(6)} | ${String(bucket.length).padStart(4)} | ${JSON.stringify(statuses)} | ${answered.p50.toFixed(0)} / ${answered.max.toFixed(0)} | ${delivered.p50.toFixed(0)} | ${inWindow.at(-1)?.connections ?? "-"} (active ${inWindow.at(-1)?.active ?? "-"} ${JSON.stringify(waits)}) | ${(cpu * 100).toFixed(0)}`);
  }
  console.log(`connections opened (ms from first call): ${[...opened.values()].map((at) => at - t0).sort((a, b) => a - b).join(", ")}`);
  const all = summarize(calls.map((call) => call.answerMs));
  const deliveredAll = summarize(calls.flatMap((call) => (call.status === 200 && seen.has(call.dispatchNo) ? [seen.get(call.dispatchNo)! - call.sentAt] : [])));
  console.log(`all: answered p50 ${all.p50.toFixed(1)} / p99 ${all.p99.toFixed(1)} ms; delivered p50 ${deliveredAll.p50.toFixed(1)} / p99 ${deliveredAll.p99.toFixed(1)} ms`);
} finally {
  sampling = false;
  await watcher.end();
  await hub.stop();
  await fake.child.stop();
  rmSync(folder, { recursive: true, force: true });
  await dropDatabase(name);
}
process.exit(0);
