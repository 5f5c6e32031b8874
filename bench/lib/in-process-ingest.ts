import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { Session } from "node:inspector/promises";
import { AsyncLocalStorage } from "node:async_hooks";
import { PgDialect } from "drizzle-orm/pg-core";
import { partnerMixStories, type MixCall } from "@/bench/lib/partner-mix";
import { storeOrderBodies } from "@/bench/lib/store-orders";
import { closeHubDatabase, getHubDatabase } from "@/db/client";
import { setConfigForTests } from "@/server/config";
import { endpointFor } from "@/server/contract/endpoints";
import { partnerRoute } from "@/server/partner/partner-route";

const TOKEN = "bench-in-process-token";
const OMS_TOKEN = "bench-in-process-oms-token";

export type CpuProfile = { nodes: { id: number; hitCount: number; callFrame: { functionName: string; url: string; lineNumber: number } }[] };

export type InProcessResult = {
  calls: number;
  /** This process's CPU (user + system) per accepted call, µs. */
  cpuMicrosPerCall: number;
  /** The pool's PostgreSQL backends' CPU per call, µs (from /proc/<pid>/stat; undefined on the embedded database). */
  postgresMicrosPerCall?: number;
  profile?: CpuProfile;
  /** With `countBuilds`: statements drizzle built (dialect.sqlToQuery) per call, by path, over the measured calls. */
  buildsPerCall?: Record<string, number>;
  /** Answers `{success:false}` among the measured calls (a 200 all the same). */
  refusals: number;
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

const currentPath = new AsyncLocalStorage<string>();

/** Counts drizzle's statement builds per partner path: every builder `await`, `.toSQL()` or `.prepare()` goes through sqlToQuery. */
function countBuilds(): { perPath: Map<string, number> } {
  const counter = { perPath: new Map<string, number>() };
  const dialect = PgDialect.prototype;
  const original = Object.getOwnPropertyDescriptor(dialect, "sqlToQuery")!.value as PgDialect["sqlToQuery"];
  dialect.sqlToQuery = function (this: PgDialect, ...args: Parameters<PgDialect["sqlToQuery"]>) {
    const path = currentPath.getStore() ?? "(outside a call)";
    counter.perPath.set(path, (counter.perPath.get(path) ?? 0) + 1);
    return original.apply(this, args);
  };
  return counter;
}

/**
 * Calls the partner route handlers in this process (no Next.js, no HTTP),
 * `calls` times with `concurrency` calls in flight, and reports the CPU this
 * process spent per call: a figure that holds on a loaded machine, where
 * wall-clock rates do not. The calls are new store orders (`/pos/ordermake`),
 * or with `mix` whole stories of notices (bench/lib/partner-mix.ts: creation,
 * shipments, returns, waybill changes). On PostgreSQL it also reads the pool's
 * backends' CPU. `profile` records a V8 CPU profile of the measured calls;
 * `countBuilds` counts drizzle's statement builds per call and path.
 */
export async function measureInProcess(options: {
  /** undefined: a new in-memory embedded database. */
  databaseUrl: string | undefined;
  calls: number;
  warmup: number;
  concurrency: number;
  profile: boolean;
  mix?: boolean;
  countBuilds?: boolean;
}): Promise<InProcessResult> {
  setConfigForTests({
    DATABASE_URL: options.databaseUrl,
    DATA_DIR: "memory://",
    HUB_POS_TOKEN: TOKEN,
    HUB_OMS_TOKEN: OMS_TOKEN,
    PARTNER_CALLS_IN_FLIGHT_PER_TOKEN: 1000,
    PARTNER_QUEUE_WAIT_MS: 60_000,
    WORKER: "off",
  });
  const handlers = new Map<string, (request: Request) => Promise<Response>>();
  const handlerFor = (path: string) => {
    let handler = handlers.get(path);
    if (!handler) handlers.set(path, (handler = partnerRoute(endpointFor(path))));
    return handler;
  };
  const stream = Number(process.hrtime.bigint() % 1_000_000n);
  const nextOrder = storeOrderBodies(stream);
  const nextStory: () => MixCall[] = options.mix
    ? partnerMixStories(stream)
    : () => [{ path: "/pos/ordermake", body: nextOrder().body }];
  let refusals = 0;
  let measuring = false;
  const callsPerPath = new Map<string, number>();
  const call = async ({ path, body }: MixCall) => {
    const request = new Request(`http://hub.bench${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${path.startsWith("/oms/") ? OMS_TOKEN : TOKEN}` },
      body,
    });
    const response = await currentPath.run(path, () => handlerFor(path)(request));
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    const answer = (await response.json()) as { success: boolean };
    if (!measuring) return;
    if (!answer.success) refusals++;
    callsPerPath.set(path, (callsPerPath.get(path) ?? 0) + 1);
  };
  // Each worker runs whole stories (their calls in order) until `count` calls have started.
  const run = async (count: number) => {
    let left = count;
    let done = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (left > 0) {
          for (const step of nextStory()) {
            left--;
            await call(step);
            done++;
          }
        }
      }),
    );
    return done;
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
  const builds = options.countBuilds ? countBuilds() : undefined;
  measuring = true;
  const pgBefore = backendCpuMicros(pids);
  const before = process.cpuUsage();
  const done = await run(options.calls);
  const used = process.cpuUsage(before);
  const pgAfter = backendCpuMicros(pids);
  const profile = options.profile ? ((await session.post("Profiler.stop")).profile as unknown as CpuProfile) : undefined;
  await closeHubDatabase();
  const buildsPerCall = builds
    ? Object.fromEntries([...builds.perPath].map(([path, count]) => [path, count / (callsPerPath.get(path) ?? 1)]))
    : undefined;
  return {
    calls: done,
    cpuMicrosPerCall: (used.user + used.system) / done,
    postgresMicrosPerCall: pids.length > 0 ? (pgAfter - pgBefore) / done : undefined,
    profile,
    buildsPerCall,
    refusals,
  };
}
