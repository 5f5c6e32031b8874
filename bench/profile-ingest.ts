// Why is ingest slower than its ceilings? Runs the hub under the V8 profiler, loads
// /pos/ordermake at full speed, and prints where the hub's CPU time went (self
// time by package and by function).
//   npx tsx bench/profile-ingest.ts [--seconds 10]
// --in-process: no build, no HTTP: calls the route handler in this process and
// prints the CPU µs per accepted call (this process's, and the PostgreSQL backends'),
// which holds on a loaded machine; with --profile, also the split of that CPU.
//   npx tsx bench/profile-ingest.ts --in-process [--calls 3000] [--concurrency 10] [--pglite] [--profile] [--mix] [--count-builds]
// --mix: stories of notices (creation, shipments, returns, waybill changes; bench/lib/partner-mix.ts), not
// only /pos/ordermake; --count-builds: drizzle statement builds per call, by path (what db/prepared-in-transaction.ts removes).
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { storeOrderLoad } from "@/bench/ingest";
import { dropDatabase, prepareDatabase } from "@/bench/lib/bench-db";
import { startHub } from "@/bench/lib/hub-server";
import type { CpuProfile } from "@/bench/lib/in-process-ingest";
import { printProfile } from "@/bench/lib/print-profile";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    port: { type: "string", default: "3108" },
    "in-process": { type: "boolean", default: false },
    calls: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "10" },
    pglite: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    mix: { type: "boolean", default: false },
    "count-builds": { type: "boolean", default: false },
  },
});
const name = `hub_bench_profile_${Date.now()}`;

if (values["in-process"]) {
  const databaseUrl = values.pglite ? undefined : await prepareDatabase(name);
  const { measureInProcess } = await import("@/bench/lib/in-process-ingest");
  const calls = Number(values.calls);
  const result = await measureInProcess({ databaseUrl, calls, warmup: Math.min(500, calls), concurrency: Number(values.concurrency), profile: values.profile, mix: values.mix, countBuilds: values["count-builds"] });
  if (!values.pglite) await dropDatabase(name);
  const postgres = result.postgresMicrosPerCall === undefined ? "" : `, PostgreSQL backends ${Math.round(result.postgresMicrosPerCall)} µs`;
  const what = values.mix ? "calls of the mix" : "/pos/ordermake calls";
  const refused = result.refusals > 0 ? ` (${result.refusals} answered success:false)` : "";
  console.log(`${values.pglite ? "embedded" : "PostgreSQL"}: ${result.calls} ${what}${refused}, hub process CPU ${Math.round(result.cpuMicrosPerCall)} µs per call${postgres}`);
  if (result.buildsPerCall) {
    for (const [path, builds] of Object.entries(result.buildsPerCall).sort()) console.log(`  ${path}: ${builds.toFixed(2)} statements built per call`);
  }
  if (result.profile) printProfile(result.profile);
  process.exit(0);
}

const dir = mkdtempSync(path.join(tmpdir(), "hub-cpu-prof-"));
const url = await prepareDatabase(name);
const preload = path.join(process.cwd(), "bench/lib/cpu-profile.cjs");
const hub = await startHub({ port: Number(values.port), databaseUrl: url, env: { WORKER: "off", NODE_OPTIONS: `--require ${preload}`, CPU_PROF_DIR: dir } });
await storeOrderLoad(hub, "/pos/ordermake", { duration: 2, connections: 10 });
const load = await storeOrderLoad(hub, "/pos/ordermake", { duration: Number(values.seconds), connections: 10 });
await hub.stop();
await dropDatabase(name);
console.log(`${Math.round(load.rps)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms; profiles in ${dir}`);

const file = readdirSync(dir).map((f) => path.join(dir, f)).sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0]!;
printProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
process.exit(0);
