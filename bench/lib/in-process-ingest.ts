import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { Session } from "node:inspector/promises";
import { storeOrderBodies } from "@/bench/lib/store-orders";
import { closeHubDatabase, getHubDatabase } from "@/db/client";
import { setConfigForTests } from "@/server/config";
import { endpointFor } from "@/server/contract/endpoints";
import { partnerRoute } from "@/server/partner/partner-route";

const TOKEN = "bench-in-process-token";

export type CpuProfile = { nodes: { id: number; hitCount: number; callFrame: { functionName: string; url: string; lineNumber: number } }[] };

export type InProcessResult = {
  calls: number;
  /** This process's CPU (user + system) per accepted call, µs. */
  cpuMicrosPerCall: number;
  /** The pool's PostgreSQL backends' CPU per call, µs (from /proc/<pid>/stat; undefined on the embedded database). */
  postgresMicrosPerCall?: number;
  profile?: CpuProfile;
};

/** utime + stime of the pool's backends, in µs (clock ticks of 10 ms, Linux's USER_HZ 100). */
function backendCpuMicros(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may hold spaces): state is 3rd, utime 14th, stime 15th.
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // A backend that ended took its time with it; the run's connections are all open by then (warm-up).
    }
  }
  return ticks * 10_000;
}

/**
 * Calls the `/pos/ordermake` route handler in this process (no Next.js, no HTTP),
 * `calls` times with `concurrency` calls in flight, each a new store order, and
 * reports the CPU this process spent per call: a figure that holds on a loaded
 * machine, where wall-clock rates do not. On PostgreSQL it also reads the pool's
 * backends' CPU. `profile` records a V8 CPU profile of the measured calls.
 */
export async function measureInProcess(options: {
  /** undefined: a new in-memory embedded database. */
  databaseUrl: string | undefined;
  calls: number;
  warmup: number;
  concurrency: number;
  profile: boolean;
}): Promise<InProcessResult> {
  setConfigForTests({ DATABASE_URL: options.databaseUrl, DATA_DIR: "memory://", HUB_POS_TOKEN: TOKEN, PARTNER_CALLS_IN_FLIGHT_PER_TOKEN: 1000, PARTNER_QUEUE_WAIT_MS: 60_000, WORKER: "off" });
  const handler = partnerRoute(endpointFor("/pos/ordermake"));
  const next = storeOrderBodies(Number(process.hrtime.bigint() % 1_000_000n));
  const call = async () => {
    const request = new Request("http://hub.bench/pos/ordermake", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: next().body,
    });
    const response = await handler(request);
    if (response.status !== 200) throw new Error(`ordermake answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  const run = async (count: number) => {
    let left = count;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (left-- > 0) await call();
      }),
    );
  };

  const hub = await getHubDatabase();
  await run(options.warmup);
  // postgres.js answers with the rows themselves.
  const backends: unknown =
    hub.driver === "postgres" ? await hub.db.execute(sql`select pid from pg_stat_activity where application_name = ${hub.applicationName}`) : [];
  const pids = (backends as { pid: number }[]).map((row) => row.pid);

  const session = new Session();
  if (options.profile) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    await session.post("Profiler.start");
  }
  const pgBefore = backendCpuMicros(pids);
  const before = process.cpuUsage();
  await run(options.calls);
  const used = process.cpuUsage(before);
  const pgAfter = backendCpuMicros(pids);
  const profile = options.profile ? ((await session.post("Profiler.stop")).profile as unknown as CpuProfile) : undefined;
  await closeHubDatabase();
  return {
    calls: options.calls,
    cpuMicrosPerCall: (used.user + used.system) / options.calls,
    postgresMicrosPerCall: pids.length > 0 ? (pgAfter - pgBefore) / options.calls : undefined,
    profile,
  };
}
