// The CPU a fresh hub spends per call as it warms up (issue 13, "find out why
// a fresh start is so much worse"): the hub (`npm start` over the build in
// NEXT_DIST_DIR, delivery worker in-process) on a new database, a fake OMS
// recording arrivals; store orders are sent one after another (no overlap, so
// no queue) in batches of growing size, and after each batch, once every one
// of them arrived at the fake, the hub process's CPU time (/proc/<pid>/stat,
// user + system) is read. CPU per call is robust to a loaded machine in a way
// wall-clock times are not. Prints per batch: calls, CPU ms per call
// (ingest + delivery), the slowest answer (ms), and the first call's answer.
//
// With --profile, the hub runs under the V8 profiler (bench/lib/cpu-profile.cjs)
// and, per batch, where its CPU went (self time by package, the top functions).
//
// `npx tsx bench/warm-up-curve.ts [--pglite] [--load-routes] [--profile] [--port 3110]`
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { arrivals } from "@/bench/from-outside";
import { dropDatabase, prepareDatabase } from "@/bench/lib/bench-db";
import { startFake } from "@/bench/lib/fake-process";
import { POS_TOKEN, startHub } from "@/bench/lib/hub-server";
import { storeOrderBodies } from "@/bench/lib/store-orders";

const { values } = parseArgs({ options: { pglite: { type: "boolean", default: false }, "load-routes": { type: "boolean", default: false }, profile: { type: "boolean", default: false }, port: { type: "string", default: "3110" } } });
const name = `hub_warmup_${Date.now()}`;
const databaseUrl = values.pglite ? undefined : await prepareDatabase(name, { migrate: false });
const folder = mkdtempSync(path.join(tmpdir(), "hub-warmup-"));
const log = path.join(folder, "arrivals.log");
const fake = await startFake(0, log);
const profileEnv: Record<string, string> = values.profile ? { NODE_OPTIONS: `--require ${path.join(process.cwd(), "bench/lib/cpu-profile.cjs")}`, CPU_PROF_DIR: folder } : {};
const hub = await startHub({ port: Number(values.port), databaseUrl, env: { OMS_BASE_URL: fake.url, ...(databaseUrl ? {} : { DATA_DIR: path.join(folder, "data") }), ...profileEnv } });
const batches: { size: number; from: number; to: number }[] = [];
// /proc/<pid>/stat counts CPU time in clock ticks (USER_HZ, 100 on Linux): 10 ms each.
const cpuMs = () => {
  const fields = readFileSync(`/proc/${hub.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const next = storeOrderBodies(970);

function send(): Promise<{ dispatchNo: string; status: number; ms: number }> {
  const { dispatchNo, body } = next();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const call = request(`${hub.url}/pos/ordermake`, { method: "POST", agent, headers: { "content-type": "application/json", authorization: `Bearer ${POS_TOKEN}`, "content-length": Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on("end", () => resolve({ dispatchNo, status: response.statusCode ?? 0, ms: performance.now() - started }));
    });
    call.on("error", reject);
    call.end(body);
  });
}

try {
  // --load-routes: a GET to every partner path first (405, nothing stored): Next.js loads each route's modules.
  if (values["load-routes"]) {
    const { partnerEndpoints } = await import("@/server/contract/endpoints");
    for (const endpoint of partnerEndpoints) await fetch(`${hub.url}${endpoint.path}`).then((response) => response.text());
  }
  // Idle CPU (the worker's polls, timers) over a second, subtracted from each batch.
  let before = cpuMs();
  const idleStarted = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idlePerMs = (cpuMs() - before) / (performance.now() - idleStarted);
  console.log(`idle: ${(idlePerMs * 1000).toFixed(0)} ms CPU per s`);
  console.log("calls | CPU ms per call (ingest + delivery) | slowest answer ms | first answer ms");
  for (const size of [1, 1, 8, 40, 150, 300, 500, 500]) {
    before = cpuMs();
    const started = performance.now();
    const sent: { dispatchNo: string; status: number; ms: number }[] = [];
    for (let i = 0; i < size; i++) sent.push(await send());
    for (let tries = 0; tries < 600; tries++) {
      const seen = arrivals(log);
      if (sent.every((call) => seen.has(call.dispatchNo))) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    batches.push({ size, from: Date.now() - (performance.now() - started), to: Date.now() });
    const spent = cpuMs() - before - idlePerMs * (performance.now() - started);
    const statuses = new Set(sent.map((call) => call.status));
    console.log(`${String(size).padStart(5)} | ${(spent / size).toFixed(2)} | ${Math.max(...sent.map((call) => call.ms)).toFixed(0)} | ${sent[0]!.ms.toFixed(0)}${statuses.size === 1 && statuses.has(200) ? "" : ` statuses ${[...statuses].join(",")}`}`);
  }
} finally {
  agent.destroy();
  const stoppedAt = Date.now();
  await hub.stop();
  if (values.profile) printProfile(stoppedAt);
  await fake.child.stop();
  rmSync(folder, { recursive: true, force: true });
  if (databaseUrl) await dropDatabase(name);
}
process.exit(0);

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; endTime: number };

/** Self time per batch by package and by function, from the hub's profile (its clock mapped to ours by the stop time). */
function printProfile(stoppedAt: number) {
  const file = readdirSync(folder).filter((name) => name.endsWith(".cpuprofile")).map((name) => path.join(folder, name)).sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!file) return console.log("no profile written");
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const times: number[] = [];
  let at = 0;
  for (const delta of profile.timeDeltas) times.push((at += delta));
  const last = times.at(-1)!;
  const where = (node: ProfileNode) => {
    const url = node.callFrame.url;
    if (!url) return node.callFrame.functionName || "(native)";
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    return pkg ?? (url.startsWith("node:") ? "node internals" : url.includes("/.next") ? ".next app code" : "hub source (tsx)");
  };
  for (const batch of batches) {
    // Profile time (µs) of an epoch ms: the profile ends at the stop.
    const from = last - (stoppedAt - batch.from) * 1000;
    const to = last - (stoppedAt - batch.to) * 1000;
    const packages = new Map<string, number>();
    const functions = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, index) => {
      if (times[index]! < from || times[index]! > to) return;
      const node = byId.get(id)!;
      const delta = profile.timeDeltas[index + 1] ?? 0;
      total += delta;
      packages.set(where(node), (packages.get(where(node)) ?? 0) + delta);
      const fn = `${node.callFrame.functionName || "(anonymous)"} ${where(node)}`;
      functions.set(fn, (functions.get(fn) ?? 0) + delta);
    });
    const top = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([key, us]) => `${(us / 1000 / batch.size).toFixed(2)} ms ${key}`).join("; ");
    console.log(`batch of ${batch.size}: ${(total / 1000 / batch.size).toFixed(2)} ms sampled per call\n  by package: ${top(packages, 8)}\n  by function: ${top(functions, 8)}`);
  }
}
