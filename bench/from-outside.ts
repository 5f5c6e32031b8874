// Accept → delivered measured from outside the hub: the hub (`npm start`, its
// in-process delivery worker on), a store POS process sending store orders at a
// fixed rate (bench/store-order-probe.ts) and a fake OMS process recording when
// each dispatchNO arrives (bench/fake-main.ts), on a database created for the
// run, so the first load meets a fresh start.
//
// `npx tsx bench/from-outside.ts [--pglite] [--rates 200,20,200] [--seconds 10] [--step-up] [--worker-beside] [--env NAME=value …]`
// (--env: the hub's environment, e.g. WARM_UP_CALLS=0 for a hub that does not warm itself up)
// prints one line per load; bench/run.ts uses `measureFromOutside`.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { prepareDatabase, dropDatabase } from "@/bench/lib/bench-db";
import { startFake } from "@/bench/lib/fake-process";
import { POS_TOKEN, startHub } from "@/bench/lib/hub-server";
import { startChild, waitForLine } from "@/bench/lib/processes";
import { ms, perSecond, type BenchResult } from "@/bench/lib/results";
import { summarize, type Summary } from "@/bench/lib/stats";
import type { ProbeCall } from "@/bench/store-order-probe";

export type OutsideLoad = {
  rate: number;
  sent: number;
  statuses: Record<string, number>;
  answered: Summary;
  delivered: Summary;
  /** Calls answered 200 that the fake never received within the wait. */
  lost: number;
};

/** The store POS process (bench/store-order-probe.ts) at `rate` req/s for `seconds`; its calls as it recorded them. */
export function runProbe(url: string, rate: number, seconds: number, stream: number): Promise<ProbeCall[]> {
  return new Promise((resolve, reject) => {
    const args = ["--import", "tsx", "bench/store-order-probe.ts", "--url", `${url}/pos/ordermake`, "--rate", String(rate), "--seconds", String(seconds), "--stream", String(stream)];
    args.push("--token", POS_TOKEN);
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? resolve((JSON.parse(out.trim().split("\n").pop()!) as { calls: ProbeCall[] }).calls) : reject(new Error(`probe exited ${code}`))));
  });
}

/** The fake OMS's arrivals log: dispatchNO → epoch ms it arrived. */
export function arrivals(log: string): Map<string, number> {
  const text = readFileSync(log, "utf8").trim();
  return new Map(text ? text.split("\n").map((line) => { const [no, at] = line.split("\t"); return [no!, Number(at)] as const; }) : []);
}

async function waitForArrivals(log: string, expected: string[], timeoutMs: number): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = arrivals(log);
    if (expected.every((no) => seen.has(no)) || Date.now() > deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Runs the loads in order against one hub on a new database (PostgreSQL at
 * `databaseUrl`, or a new embedded one when it is undefined).
 * @returns one OutsideLoad per rate: call answers (ms) and accept → delivered (ms, fake arrival − probe send).
 */
export async function measureFromOutside(options: {
  databaseUrl?: string;
  port: number;
  rates: number[];
  seconds: number;
  workerBeside?: boolean;
  env?: Record<string, string>;
  /** After the fixed rates, step the offered rate up through these (req/s) until one is not sustained. */
  stepUp?: { rates: number[]; seconds: number };
}): Promise<{ loads: OutsideLoad[]; steps: SustainStep[] }> {
  const folder = mkdtempSync(path.join(tmpdir(), "hub-outside-"));
  const log = path.join(folder, "arrivals.log");
  const fake = await startFake(0, log);
  const hub = await startHub({
    port: options.port,
    databaseUrl: options.databaseUrl,
    env: { OMS_BASE_URL: fake.url, ...(options.databaseUrl ? {} : { DATA_DIR: path.join(folder, "data") }), ...(options.workerBeside ? { WORKER: "off" } : {}), ...options.env },
  });
  // `npm run worker` beside the hub (PostgreSQL only: the embedded database belongs to one process).
  const worker = options.workerBeside
    ? startChild(process.execPath, ["--import", "tsx", "server/delivery/worker-main.ts"], { DATABASE_URL: options.databaseUrl, OMS_BASE_URL: fake.url, POS_BASE_URL: "", LOG_LEVEL: "info" })
    : undefined;
  // The first load meets a worker already claiming, not one still starting.
  if (worker) await waitForLine(worker, /delivery worker started/);
  const loads: OutsideLoad[] = [];
  const steps: SustainStep[] = [];
  try {
    for (const [index, rate] of options.rates.entries()) {
      loads.push(await oneLoad(hub.url, log, rate, options.seconds, 900 + index, 60_000));
    }
    for (const [index, rate] of (options.stepUp?.rates ?? []).entries()) {
      const load = await oneLoad(hub.url, log, rate, options.stepUp!.seconds, 950 + index, DRAIN_WITHIN_MS);
      const step = { ...load, sustained: isSustained(load) };
      steps.push(step);
      if (!step.sustained) break;
    }
  } finally {
    await worker?.stop();
    await hub.stop();
    await fake.child.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  return { loads, steps };
}

/** One load at `rate` req/s for `seconds`, then up to `waitMs` after the last answer for the fake to receive every 200. */
async function oneLoad(url: string, log: string, rate: number, seconds: number, stream: number, waitMs: number): Promise<OutsideLoad> {
  const calls = await runProbe(url, rate, seconds, stream);
  const ok = calls.filter((call) => call.status === 200);
  const seen = await waitForArrivals(log, ok.map((call) => call.dispatchNo), waitMs);
  const statuses: Record<string, number> = {};
  for (const call of calls) {
    const key = call.status === null ? (call.error ?? "error") : String(call.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  return {
    rate,
    sent: calls.length,
    statuses,
    answered: summarize(calls.map((call) => call.answerMs)),
    delivered: summarize(ok.flatMap((call) => (seen.has(call.dispatchNo) ? [seen.get(call.dispatchNo)! - call.sentAt] : []))),
    lost: ok.filter((call) => !seen.has(call.dispatchNo)).length,
  };
}

/** A step of the search for the rate one instance sustains. */
export type SustainStep = OutsideLoad & { sustained: boolean };

/** How long after its last answer a sustained load's deliveries may still be arriving (ms). */
const DRAIN_WITHIN_MS = 3000;
/** accept → delivered p50 a sustained load stays under (ms). */
const SUSTAINED_P50_MS = 1000;
/** The offered rates tried in turn (req/s), each for STEP_SECONDS, until one is not sustained. */
const STEP_RATES = [50, 100, 150, 200, 300, 400, 500, 650, 800];
const STEP_SECONDS = 3;

/**
 * Sustained: every call answered 200 (no 503, no error), accept → delivered p50
 * under 1 s, and every delivery arrived within 3 s of the load's last answer
 * (the backlog drains rather than grows).
 */
export function isSustained(load: OutsideLoad): boolean {
  return load.statuses["200"] === load.sent && load.lost === 0 && load.delivered.p50 < SUSTAINED_P50_MS;
}

/** The bench row for a step-up: the highest rate sustained, and what the next one broke. */
function sustainedRow(label: string, steps: SustainStep[]): BenchResult {
  const best = steps.filter((step) => step.sustained).at(-1);
  const broke = steps.find((step) => !step.sustained);
  const why = broke
    ? `${broke.rate}/s not: ${Object.entries(broke.statuses).map(([key, n]) => `${key} × ${n}`).join(", ")}, accept → delivered p50 ${ms(broke.delivered.p50)}${broke.lost ? `, ${broke.lost} not delivered within ${DRAIN_WITHIN_MS / 1000} s of the end` : ""}`
    : `every step up to ${STEP_RATES.at(-1)}/s sustained`;
  return {
    section: "delivery",
    name: `calls one instance sustains, ${label} (offered ${STEP_RATES[0]}, ${STEP_RATES[1]}, … req/s, ${STEP_SECONDS} s each: all 200, accept → delivered p50 < 1 s, drained within ${DRAIN_WITHIN_MS / 1000} s)`,
    value: best ? perSecond(best.rate) : `< ${STEP_RATES[0]}/s`,
    note: `${best ? `at ${best.rate}/s accept → delivered p50 ${ms(best.delivered.p50)}, p99 ${ms(best.delivered.p99)}; ` : ""}${why}`,
  };
}

/**
 * The bench's rows: on PostgreSQL and on the embedded database, a new database
 * meeting 200 req/s at once (fresh start), then 20 and 200 req/s warm, then the
 * offered rate stepped up (STEP_RATES) to find what one instance sustains; and
 * the same step-up on PostgreSQL with delivery in `npm run worker` beside the hub.
 */
export async function runOutside(port: number, seconds: number): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  const rates = [200, 20, 200];
  const stepUp = { rates: STEP_RATES, seconds: STEP_SECONDS };
  const runs: { label: string; driver: "pg" | "pglite"; workerBeside?: boolean; rates: number[] }[] = [
    { label: "PostgreSQL", driver: "pg", rates },
    { label: "PostgreSQL, npm run worker beside", driver: "pg", workerBeside: true, rates: [] },
    { label: "embedded database", driver: "pglite", rates },
  ];
  for (const run of runs) {
    const name = `hub_outside_${Date.now()}`;
    const databaseUrl = run.driver === "pg" ? await prepareDatabase(name, { migrate: false }) : undefined;
    try {
      const { loads, steps } = await measureFromOutside({ databaseUrl, port, rates: run.rates, seconds, workerBeside: run.workerBeside, stepUp });
      for (const [index, load] of loads.entries()) {
        console.log(`[bench] ${run.label}: ${describeLoad(load)}`);
        const others = Object.entries(load.statuses).filter(([key]) => key !== "200").map(([key, n]) => `${key} × ${n}`).join(", ");
        const when = index === 0 ? "fresh database" : "warm";
        rows.push({
          section: "delivery",
          name: `accept → delivered from outside, ${run.label}, ${when}, ${load.rate} req/s`,
          value: `p50 ${ms(load.delivered.p50)}, p99 ${ms(load.delivered.p99)}`,
          ...(run.driver === "pg" && load.rate === 200 ? { target: "< 20 ms", pass: load.delivered.p50 < 20 && load.lost === 0 } : {}),
          note: `answered p50 ${ms(load.answered.p50)}, p99 ${ms(load.answered.p99)}${others ? `; ${others}` : ""}${load.lost ? `; ${load.lost} accepted, not delivered` : ""}`,
        });
      }
      for (const step of steps) console.log(`[bench] ${run.label}, step-up: ${describeLoad(step)}${step.sustained ? "" : " — not sustained"}`);
      rows.push(sustainedRow(run.workerBeside ? run.label : `${run.label}, delivery in-process`, steps));
      const at20 = loads.find((load) => load.rate === 20);
      const warm200 = loads.filter((load) => load.rate === 200);
      if (run.driver === "pg" && at20 && warm200.length) {
        const worst = Math.max(...warm200.map((load) => load.delivered.p50));
        rows.push({ section: "delivery", name: `accept → delivered p50 at 200 req/s (fresh and warm, worse) ÷ at 20 req/s, ${run.label}`, value: `${(worst / at20.delivered.p50).toFixed(1)} ×`, target: "≤ 2 ×", pass: worst <= 2 * at20.delivered.p50 });
      }
    } finally {
      if (databaseUrl) await dropDatabase(name).catch(() => {});
    }
  }
  return rows;
}

export const describeLoad = (load: OutsideLoad) =>
  `${load.rate} req/s × ${load.sent}: ${Object.entries(load.statuses).map(([key, count]) => `${key}×${count}`).join(" ")}; ` +
  `answered p50 ${load.answered.p50.toFixed(1)} / p99 ${load.answered.p99.toFixed(1)} / max ${load.answered.max.toFixed(0)} ms; ` +
  `accept → delivered p50 ${load.delivered.p50.toFixed(1)} / p99 ${load.delivered.p99.toFixed(1)} ms${load.lost ? `; ${load.lost} accepted, not delivered` : ""}`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      pglite: { type: "boolean", default: false },
      rates: { type: "string", default: "200,20,200" },
      seconds: { type: "string", default: "10" },
      port: { type: "string", default: "3108" },
      "step-up": { type: "boolean", default: false },
      "worker-beside": { type: "boolean", default: false },
      env: { type: "string", multiple: true, default: [] },
    },
  });
  const env = Object.fromEntries(values.env.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
  const name = `hub_outside_${Date.now()}`;
  const databaseUrl = values.pglite ? undefined : await prepareDatabase(name, { migrate: false });
  try {
    const { loads, steps } = await measureFromOutside({
      databaseUrl,
      port: Number(values.port),
      rates: values.rates ? values.rates.split(",").map(Number) : [],
      seconds: Number(values.seconds),
      workerBeside: values["worker-beside"],
      env,
      ...(values["step-up"] ? { stepUp: { rates: STEP_RATES, seconds: STEP_SECONDS } } : {}),
    });
    for (const load of loads) console.log(describeLoad(load));
    for (const step of steps) console.log(`step-up: ${describeLoad(step)}${step.sustained ? "" : " — not sustained"}`);
  } finally {
    if (databaseUrl) await dropDatabase(name);
  }
  process.exit(0);
}
