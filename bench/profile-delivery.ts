// Where does a drain's CPU go? Queues N deliveries, drains them with `npm run
// worker` (its own process) to a fake answering in 5 ms, and prints CPU per
// delivered message: the worker process, its PostgreSQL backends, the fake, and
// the database's transactions per message; then the same messages through
// pg-boss for comparison. CPU time (not wall-clock) so a loaded machine still
// gives a comparable figure. With --profile, the worker runs under the V8
// profiler and its self time is printed by package and by function.
//   npx tsx bench/profile-delivery.ts [--count 20000] [--profile] [--no-peer]
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { queueDeliveries, runPgBoss, waitUntil } from "@/bench/delivery";
import { dropDatabase, prepareDatabase } from "@/bench/lib/bench-db";
import { startFake } from "@/bench/lib/fake-process";
import type { CpuProfile } from "@/bench/lib/in-process-ingest";
import { printProfile } from "@/bench/lib/print-profile";
import { startChild } from "@/bench/lib/processes";


const { values } = parseArgs({
  options: { count: { type: "string", default: "20000" }, profile: { type: "boolean", default: false }, "no-peer": { type: "boolean", default: false } },
});
const count = Number(values.count);
const ticks = 100; // USER_HZ: /proc/<pid>/stat counts CPU in 1/100 s

/** utime + stime of a process in ms (0 when it is gone). */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
  } catch {
    return 0;
  }
}

/** CPU ms of the backends whose application_name matches, read just before they go. */
async function backendsCpuMs(sql: postgres.Sql, database: string, like: string): Promise<{ ms: number; backends: number }> {
  const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${database} and application_name like ${like}`;
  return { ms: rows.reduce((sum, row) => sum + cpuMs(row.pid), 0), backends: rows.length };
}

const commits = async (sql: postgres.Sql, database: string) =>
  Number((await sql`select xact_commit::bigint as n from pg_stat_database where datname = ${database}`)[0]!.n);

const name = `hub_delivery_profile_${Date.now()}`;
const url = await prepareDatabase(name);
const sql = postgres(url, { max: 1, onnotice: () => {} });
const fake = await startFake(5);
const dir = mkdtempSync(path.join(tmpdir(), "hub-drain-prof-"));
const preload = path.join(process.cwd(), "bench/lib/cpu-profile.cjs");
try {
  await queueDeliveries(sql, count);
  const fakeBefore = cpuMs(fake.child.process.pid!);
  const commitsBefore = await commits(sql, name);
  const worker = startChild(process.execPath, ["--import", "tsx", "server/delivery/worker-main.ts"], {
    DATABASE_URL: url,
    OMS_BASE_URL: fake.url,
    POS_BASE_URL: "",
    LOG_LEVEL: "warn",
    ...(values.profile ? { NODE_OPTIONS: `--require ${preload}`, CPU_PROF_DIR: dir } : {}),
  });
  const pid = worker.process.pid!;
  // Start-up (tsx, migrations check, imports) is not the drain: count from the first attempt.
  await waitUntil(async () => (await sql`select 1 from delivery_attempts limit 1`).length > 0, 120_000);
  const workerStart = cpuMs(pid);
  const started = performance.now();
  let backends = { ms: 0, backends: 0 };
  await waitUntil(async () => {
    const [row] = await sql`select count(*)::int as left from deliveries where state = 'pending'`;
    // The pool's backends close when idle: read their CPU while the drain still runs.
    const seen = await backendsCpuMs(sql, name, "dispatch-hub %");
    if (seen.backends > 0) backends = seen;
    return row!.left === 0;
  }, 30 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  const workerMs = cpuMs(pid) - workerStart;
  await worker.stop();
  const xacts = (await commits(sql, name)) - commitsBefore;
  const fakeMs = cpuMs(fake.child.process.pid!) - fakeBefore;
  const per = (value: number) => `${((value * 1000) / count).toFixed(0)} µs`;
  console.log(
    `hub worker: ${count} in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)}/s wall, machine load ${readFileSync("/proc/loadavg", "utf8").split(" ")[0]})\n` +
      `  worker CPU per message ${per(workerMs)} (drain only); PostgreSQL backends ${per(backends.ms)} (${backends.backends} backends, whole life); fake ${per(fakeMs)}\n` +
      `  transactions committed per message ${(xacts / count).toFixed(3)} (includes this script's polls)`,
  );
  if (!values["no-peer"]) {
    const bossCommits = await commits(sql, name);
    const boss = await runPgBoss(url, count, fake.url);
    console.log(
      `pg-boss: ${boss.perSecond.toFixed(0)}/s wall; process CPU per message ${per(boss.cpuMs ?? Number.NaN)} (drain); ` +
        `PostgreSQL backends ${per(boss.backendMs ?? Number.NaN)} (drain); transactions per message ${(((await commits(sql, name)) - bossCommits) / count).toFixed(3)} (insert + drain)`,
    );
  }
  if (values.profile) {
    const file = readdirSync(dir).map((f) => path.join(dir, f)).sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0]!;
    printProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, `worker self time (whole life, ${file})`);
  }
} finally {
  await fake.child.stop();
  await sql.end();
  await dropDatabase(name);
}
process.exit(0);
