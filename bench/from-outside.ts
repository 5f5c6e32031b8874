// Accept → delivered measured from outside the hub: the hub (`npm start`, its
// in-process delivery worker on), a store POS process sending store orders at a
// fixed rate (bench/store-order-probe.ts) and a fake OMS process recording when
// each dispatchNO arrives (bench/fake-main.ts), on a database created for the
// run, so the first load meets a fresh start.
//
// `npx tsx bench/from-outside.ts [--pglite] [--rates 200,20,200] [--seconds 10]`
// prints one line per load; bench/run.ts uses `measureFromOutside`.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { prepareDatabase, dropDatabase } from "@/bench/lib/bench-db";
import { startFake } from "@/bench/lib/fake-process";
import { POS_TOKEN, startHub } from "@/bench/lib/hub-server";
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

function runProbe(url: string, rate: number, seconds: number, stream: number): Promise<ProbeCall[]> {
  return new Promise((resolve, reject) => {
    const args = ["--import", "tsx", "bench/store-order-probe.ts", "--url", `${url}/pos/ordermake`, "--rate", String(rate), "--seconds", String(seconds), "--stream", String(stream)];
    args.push("--token", POS_TOKEN);
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? resolve((JSON.parse(out.trim().split("\n").pop()!) as { calls: ProbeCall[] }).calls) : reject(new Error(`probe exited ${code}`))));
  });
}

function arrivals(log: string): Map<string, number> {
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
export async function measureFromOutside(options: { databaseUrl?: string; port: number; rates: number[]; seconds: number; env?: Record<string, string> }): Promise<OutsideLoad[]> {
  const folder = mkdtempSync(path.join(tmpdir(), "hub-outside-"));
  const log = path.join(folder, "arrivals.log");
  const fake = await startFake(0, log);
  const hub = await startHub({
    port: options.port,
    databaseUrl: options.databaseUrl,
    env: { OMS_BASE_URL: fake.url, ...(options.databaseUrl ? {} : { DATA_DIR: path.join(folder, "data") }), ...options.env },
  });
  const loads: OutsideLoad[] = [];
  try {
    for (const [index, rate] of options.rates.entries()) {
      const calls = await runProbe(hub.url, rate, options.seconds, 900 + index);
      const ok = calls.filter((call) => call.status === 200);
      const seen = await waitForArrivals(log, ok.map((call) => call.dispatchNo), 60_000);
      const statuses: Record<string, number> = {};
      for (const call of calls) {
        const key = call.status === null ? (call.error ?? "error") : String(call.status);
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
      loads.push({
        rate,
        sent: calls.length,
        statuses,
        answered: summarize(calls.map((call) => call.answerMs)),
        delivered: summarize(ok.flatMap((call) => (seen.has(call.dispatchNo) ? [seen.get(call.dispatchNo)! - call.sentAt] : []))),
        lost: ok.filter((call) => !seen.has(call.dispatchNo)).length,
      });
    }
  } finally {
    await hub.stop();
    await fake.child.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  return loads;
}

export const describeLoad = (load: OutsideLoad) =>
  `${load.rate} req/s × ${load.sent}: ${Object.entries(load.statuses).map(([key, count]) => `${key}×${count}`).join(" ")}; ` +
  `answered p50 ${load.answered.p50.toFixed(1)} / p99 ${load.answered.p99.toFixed(1)} / max ${load.answered.max.toFixed(0)} ms; ` +
  `accept → delivered p50 ${load.delivered.p50.toFixed(1)} / p99 ${load.delivered.p99.toFixed(1)} ms${load.lost ? `; ${load.lost} accepted, not delivered` : ""}`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { pglite: { type: "boolean", default: false }, rates: { type: "string", default: "200,20,200" }, seconds: { type: "string", default: "10" }, port: { type: "string", default: "3108" } } });
  const name = `hub_outside_${Date.now()}`;
  const databaseUrl = values.pglite ? undefined : await prepareDatabase(name, { migrate: false });
  try {
    const loads = await measureFromOutside({ databaseUrl, port: Number(values.port), rates: values.rates.split(",").map(Number), seconds: Number(values.seconds) });
    for (const load of loads) console.log(describeLoad(load));
  } finally {
    if (databaseUrl) await dropDatabase(name);
  }
  process.exit(0);
}
