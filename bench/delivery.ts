import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { startHub } from "@/bench/lib/hub-server";
import { storeOrderLoad } from "@/bench/ingest";
import { startFake } from "@/bench/lib/fake-process";
import { peakRssMiB, startChild } from "@/bench/lib/processes";
import { ms, perSecond, type BenchResult } from "@/bench/lib/results";
import { summarize } from "@/bench/lib/stats";
import { storeOrderBodies } from "@/bench/lib/store-orders";

const tsx = (script: string, args: string[], env: Record<string, string> = {}) => startChild(process.execPath, ["--import", "tsx", script, ...args], env);

/** The largest peak RSS among the processes of a group (tsx runs the script in a child). */
function groupPeakRssMiB(pgid: number): number {
  let peak = 0;
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) peak = Math.max(peak, peakRssMiB(Number(entry)));
    } catch {
      // gone
    }
  }
  return peak;
}

/** Inserts `count` pending deliveries to the OMS (store orders of 500 distinct notices, so some wait behind their notice's earlier one). */
export async function queueDeliveries(sql: postgres.Sql, count: number) {
  const next = storeOrderBodies(500);
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, () => {
      const { dispatchNo, body } = next();
      return { delivery_id: crypto.randomUUID(), exchange_id: crypto.randomUUID(), order_key: dispatchNo, target: "oms", path: "/pos/ordermake", payload: body, deadline_at: new Date(Date.now() + 3_600_000) };
    });
    await sql`insert into deliveries ${sql(rows)}`;
  }
}

/** Polls `check` every 250 ms until it holds; throws after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the deliveries");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export type PeerRun = { perSecond: number; failed: number; /** CPU ms of the peer process over its drain. */ cpuMs?: number; /** CPU ms of its PostgreSQL backends over the drain. */ backendMs?: number };

/** The pg-boss peer (bench/pgboss-peer.ts) on the same database and fake: its drain rate and CPU. */
export function runPgBoss(url: string, count: number, target: string): Promise<PeerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/pgboss-peer.ts", "--url", url, "--count", String(count), "--target", target], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!) as PeerRun) : reject(new Error(`pg-boss peer exited ${code}`))));
  });
}

/** 20 000 queued deliveries drained by `npm run worker` (its own process) to a fake answering in 5 ms, then the same through pg-boss. */
export async function runDrain(databaseUrl: string, count: number): Promise<BenchResult[]> {
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const fake = await startFake(5);
  try {
    await sql`delete from deliveries where state = 'pending'`;
    await queueDeliveries(sql, count);
    const worker = tsx("server/delivery/worker-main.ts", [], { DATABASE_URL: databaseUrl, OMS_BASE_URL: fake.url, POS_BASE_URL: "" });
    const since = new Date();
    let rss: number;
    try {
      await waitUntil(async () => {
        const [row] = await sql`select count(*)::int as left from deliveries where state = 'pending'`;
        return row!.left === 0;
      }, 30 * 60_000);
    } finally {
      rss = groupPeakRssMiB(worker.process.pid!);
      await worker.stop();
    }
    const [span] = await sql`select count(*) filter (where d.state = 'delivered')::int as delivered,
        extract(epoch from max(d.finished_at) - (select min(started_at) from delivery_attempts where started_at >= ${since}))::float8 as seconds
      from deliveries as d where d.finished_at >= ${since}`;
    const hubRate = span!.delivered / span!.seconds;
    const boss = await runPgBoss(databaseUrl, count, fake.url);
    return [
      { section: "delivery", name: `hub worker, ${count.toLocaleString("en-US")} queued → fake (5 ms)`, value: perSecond(hubRate), note: span!.delivered === count ? undefined : `only ${span!.delivered} delivered` },
      { section: "delivery", name: "pg-boss 10, same messages, same fake, same database", value: perSecond(boss.perSecond), note: boss.failed ? `${boss.failed} failed` : undefined },
      { section: "delivery", name: "hub ÷ pg-boss messages/s", value: `${(hubRate / boss.perSecond).toFixed(2)} ×`, target: "≥ 2 ×", pass: hubRate >= 2 * boss.perSecond },
      { section: "memory", name: "worker process peak RSS, drain", value: `${rss} MiB` },
    ];
  } finally {
    await fake.child.stop();
    await sql.end();
  }
}

/** Accept → delivered: the hub with its in-process worker and a fast fake, 200 req/s offered; matched by dispatchNO. */
export async function runLatency(databaseUrl: string, options: { port: number; duration: number; rate: number }): Promise<BenchResult[]> {
  const log = path.join(tmpdir(), `hub-bench-latency-${process.pid}.log`);
  const fake = await startFake(0, log);
  const hub = await startHub({ port: options.port, databaseUrl, env: { OMS_BASE_URL: fake.url } });
  const sent = new Map<string, number>();
  try {
    await storeOrderLoad(hub, "/pos/ordermake", { duration: 2, connections: 10, rate: options.rate });
    hub.resetPeakRss();
    const load = await storeOrderLoad(hub, "/pos/ordermake", {
      duration: options.duration,
      connections: 20,
      rate: options.rate,
      onSend: (dispatchNo) => sent.set(dispatchNo, Date.now()),
    });
    const received = () => new Map(readFileSync(log, "utf8").trim().split("\n").map((line) => line.split("\t") as [string, string]));
    await waitUntil(() => Promise.resolve([...sent.keys()].every((no) => received().has(no))), 60_000).catch(() => {});
    const rss = hub.peakRssMiB();
    const arrivals = received();
    const latencies = [...sent].flatMap(([no, at]) => (arrivals.has(no) ? [Number(arrivals.get(no)) - at] : []));
    const summary = summarize(latencies);
    return [
      { section: "delivery", name: `accept → delivered at ${options.rate} req/s (${load.rps.toFixed(0)} achieved)`, value: `p50 ${ms(summary.p50)}, p99 ${ms(summary.p99)}`, note: latencies.length === sent.size ? undefined : `${sent.size - latencies.length} of ${sent.size} not delivered in time` },
      { section: "delivery", name: "accept → delivered p50", value: ms(summary.p50), target: "< 20 ms", pass: summary.p50 < 20 },
      { section: "memory", name: "hub peak RSS, ingest + in-process delivery at 200 req/s", value: `${rss} MiB` },
    ];
  } finally {
    await hub.stop();
    await fake.child.stop();
  }
}
