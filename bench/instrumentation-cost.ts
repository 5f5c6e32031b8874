import { readFileSync } from "node:fs";
import { storeOrderLoad } from "@/bench/ingest";
import type { HubServer } from "@/bench/lib/hub-server";
import { perSecond, type BenchResult } from "@/bench/lib/results";
import { setConfigForTests } from "@/server/config";
import { observePartnerCall } from "@/server/metrics";

/**
 * What metrics and logging cost the ingest path (issue 10: "≤ 5 % regression").
 * Two hubs run side by side on one database: one as production runs it
 * (INSTRUMENTED: METRICS=on, LOG_LEVEL=info) and one with both off (QUIET:
 * METRICS=off, every observe/inc a no-op; LOG_LEVEL=silent). They are loaded
 * in turns, ABBA…, so drift on a shared machine falls on both alike, and the
 * hub process's own CPU time is read from /proc around each load.
 */
export const INSTRUMENTED = { METRICS: "on", LOG_LEVEL: "info" } as const;
export const QUIET = { METRICS: "off", LOG_LEVEL: "silent" } as const;

/** Linux clock ticks per second for /proc/<pid>/stat's utime and stime (USER_HZ, 100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system, ms) the process `pid` has used so far; from /proc/<pid>/stat (fields 14 and 15). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
}

/** One hub's totals over its turns: calls answered (any status), req/s averaged over turns, CPU ms per call. */
export type Measured = { calls: number; failed: number; rps: number; cpuMsPerCall: number };

/**
 * Warms both hubs (3 s each), then loads `on` and `off` with POST
 * /pos/ordermake in `rounds` pairs of turns of `duration` s each (ABBA order),
 * as fast as they go or at `rate` req/s.
 * Returns each hub's totals. CPU is the hub process's only (not autocannon's).
 */
export async function compareInstrumentation(
  on: HubServer,
  off: HubServer,
  options: { duration: number; connections: number; rounds: number; rate?: number },
): Promise<{ on: Measured; off: Measured }> {
  const totals = new Map<HubServer, { calls: number; failed: number; rps: number[]; cpuMs: number }>([
    [on, { calls: 0, failed: 0, rps: [], cpuMs: 0 }],
    [off, { calls: 0, failed: 0, rps: [], cpuMs: 0 }],
  ]);
  // Warm both (JIT, route bundles, pool) before anything is counted.
  for (const hub of [on, off]) await storeOrderLoad(hub, "/pos/ordermake", { duration: 3, connections: options.connections });
  for (let round = 0; round < options.rounds; round++) {
    for (const hub of round % 2 === 0 ? [on, off] : [off, on]) {
      const cpuBefore = cpuMsOf(hub.pid);
      const load = await storeOrderLoad(hub, "/pos/ordermake", { duration: options.duration, connections: options.connections, rate: options.rate });
      const total = totals.get(hub)!;
      total.cpuMs += cpuMsOf(hub.pid) - cpuBefore;
      total.calls += load.ok + load.failed;
      total.failed += load.failed;
      total.rps.push(load.rps);
    }
  }
  const summary = (hub: HubServer): Measured => {
    const total = totals.get(hub)!;
    return { calls: total.calls, failed: total.failed, rps: total.rps.reduce((a, b) => a + b, 0) / total.rps.length, cpuMsPerCall: total.cpuMs / Math.max(1, total.calls) };
  };
  return { on: summary(on), off: summary(off) };
}

/** Regression of `on` against `off` in percent (positive: `on` is slower / costs more). */
const regression = (on: number, off: number, higherIsBetter: boolean) => (higherIsBetter ? (off - on) / off : (on - off) / off) * 100;
const cpu = (value: number) => `${value.toFixed(2)} ms CPU per call`;
const percent = (value: number) => (Number.isFinite(value) ? `${value >= 0 ? "" : "−"}${Math.abs(value).toFixed(1)} %` : "–");

/**
 * The bench rows: req/s and CPU per call on and off, and what being on costs
 * against the 5 % target. At a fixed `rate` both hubs take the same req/s, so
 * only the CPU comparison is a cost.
 */
export function instrumentationRows(result: { on: Measured; off: Measured }, options: { rounds: number; rate?: number }): BenchResult[] {
  const { on, off } = result;
  const load = options.rate ? `at ${options.rate} req/s offered` : "max";
  const failed = (m: Measured) => (m.failed > 0 ? `${m.failed} non-2xx/errors` : undefined);
  const how = `${options.rounds} turns each, alternated`;
  const cpuCost = regression(on.cpuMsPerCall, off.cpuMsPerCall, false);
  const rows: BenchResult[] = [
    { section: "ingest", name: `hub /pos/ordermake ${load}, metrics + logging on (METRICS=on, LOG_LEVEL=info)`, value: `${perSecond(on.rps)}, ${cpu(on.cpuMsPerCall)}`, note: failed(on) ?? how },
    { section: "ingest", name: `hub /pos/ordermake ${load}, metrics + logging off (METRICS=off, LOG_LEVEL=silent)`, value: `${perSecond(off.rps)}, ${cpu(off.cpuMsPerCall)}`, note: failed(off) ?? how },
  ];
  if (!options.rate) {
    const rateCost = regression(on.rps, off.rps, true);
    rows.push({
      section: "ingest",
      name: "metrics + logging cost: max req/s lost (on vs off)",
      value: percent(rateCost),
      target: "≤ 5 % regression",
      pass: rateCost <= 5 && on.failed === 0 && off.failed === 0,
    });
  }
  rows.push({ section: "ingest", name: `metrics + logging cost: hub CPU per call added (on vs off, ${load})`, value: percent(cpuCost), target: "≤ 5 % regression", pass: cpuCost <= 5 });
  return rows;
}

/**
 * CPU µs one partner call's counting costs in this process (observePartnerCall:
 * a counter and a histogram, as partner-route.ts records every answer), with
 * METRICS on and off; `calls` calls each, in alternating blocks. A tight loop's
 * CPU time holds on a busy machine, unlike a hub's req/s. Leaves METRICS as it found it.
 */
export function observeCpuMicros(calls = 200_000): { on: number; off: number } {
  const outcomes = ["accepted", "duplicate", "invalid"] as const;
  const spent = { on: 0, off: 0 };
  const blocks = 10;
  for (let block = 0; block < blocks * 2; block++) {
    const mode = block % 2 === 0 ? "on" : "off";
    setConfigForTests({ METRICS: mode });
    const start = process.cpuUsage();
    for (let i = 0; i < calls / blocks; i++) observePartnerCall("pos", "/pos/ordermake", outcomes[i % 3]!, (i % 50) / 1000);
    const used = process.cpuUsage(start);
    spent[mode] += used.user + used.system;
  }
  setConfigForTests({ METRICS: "on" });
  return { on: spent.on / calls, off: spent.off / calls };
}
