import { spawn } from "node:child_process";
import autocannon, { type Result } from "autocannon";
import { POS_TOKEN, type HubServer } from "@/bench/lib/hub-server";
import { ms, perSecond, type BenchResult } from "@/bench/lib/results";
import { ratio } from "@/bench/lib/stats";
import { storeOrderBodies } from "@/bench/lib/store-orders";

export type IngestOptions = { duration: number; connections: number; rate: number; poolMax: number; databaseUrl: string };
type Load = { rps: number; p50: number; p99: number; ok: number; failed: number };

let stream = 100;

/** POSTs fresh store orders to `path`; `rate` fixes the offered load (autocannon overallRate), else as fast as it goes. */
export async function storeOrderLoad(hub: HubServer, path: string, options: { duration: number; connections: number; rate?: number; onSend?: (dispatchNo: string) => void }): Promise<Load> {
  const next = storeOrderBodies(stream++);
  const result: Result = await autocannon({
    url: hub.url,
    connections: options.connections,
    duration: options.duration,
    ...(options.rate ? { overallRate: options.rate } : {}),
    timeout: 10,
    requests: [
      {
        method: "POST",
        path,
        headers: { "content-type": "application/json", authorization: `Bearer ${POS_TOKEN}` },
        setupRequest: (request) => {
          const { dispatchNo, body } = next();
          options.onSend?.(dispatchNo);
          return { ...request, body };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

type CeilingResult = { requests: number; rps: number; p50: number; p99: number };

/** The database ceiling runs in a process of its own, like the hub. */
function databaseCeiling(options: IngestOptions): Promise<CeilingResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/db-ceiling.ts", "--url", options.databaseUrl, "--seconds", String(options.duration), "--pool", String(options.poolMax), "--concurrency", String(options.connections)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!) as CeilingResult) : reject(new Error(`db-ceiling exited ${code}`))));
  });
}

const failures = (load: Load) => (load.failed > 0 ? `${load.failed} non-2xx/errors` : undefined);

export async function runIngest(hub: HubServer, options: IngestOptions): Promise<BenchResult[]> {
  const { duration, connections } = options;
  // Warm both routes (JIT, route bundles, pool) before anything is counted.
  await storeOrderLoad(hub, "/api/bench/ceiling", { duration: 2, connections });
  await storeOrderLoad(hub, "/pos/ordermake", { duration: 3, connections });

  hub.resetPeakRss();
  const bare = await storeOrderLoad(hub, "/api/bench/ceiling", { duration, connections });
  const hubMax = await storeOrderLoad(hub, "/pos/ordermake", { duration, connections });
  const hubAtRate = await storeOrderLoad(hub, "/pos/ordermake", { duration, connections: 50, rate: options.rate });
  const bareAtRate = await storeOrderLoad(hub, "/api/bench/ceiling", { duration, connections: 50, rate: options.rate });
  const rss = hub.peakRssMiB();
  const db = await databaseCeiling(options);

  const load = (value: Load) => `${perSecond(value.rps)}, p50 ${ms(value.p50)}, p99 ${ms(value.p99)}`;
  return [
    { section: "ingest", name: "bare Next.js handler (framework ceiling), max", value: load(bare), note: failures(bare) },
    { section: "ingest", name: `direct Postgres writes, pool ${options.poolMax} (database ceiling), max`, value: `${perSecond(db.rps)}, p50 ${ms(db.p50)}, p99 ${ms(db.p99)}` },
    { section: "ingest", name: "hub /pos/ordermake, max", value: load(hubMax), note: failures(hubMax) },
    {
      section: "ingest",
      name: "hub ÷ bare handler req/s",
      value: ratio(hubMax.rps, bare.rps),
      target: "≥ 60 %",
      pass: hubMax.rps >= 0.6 * bare.rps,
    },
    { section: "ingest", name: "hub ÷ database ceiling req/s", value: ratio(hubMax.rps, db.rps) },
    { section: "ingest", name: `hub at ${options.rate} req/s offered`, value: load(hubAtRate), note: failures(hubAtRate) },
    {
      section: "ingest",
      name: `hub p99 at ${options.rate} req/s offered`,
      value: ms(hubAtRate.p99),
      target: "< 50 ms",
      pass: hubAtRate.p99 < 50 && hubAtRate.failed === 0,
    },
    { section: "ingest", name: `bare handler at ${options.rate} req/s offered`, value: load(bareAtRate) },
    { section: "memory", name: "hub peak RSS, ingest", value: `${rss} MiB` },
  ];
}
