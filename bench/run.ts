// `npm run bench [-- --quick]`: ingest, delivery and search against a production
// build and real PostgreSQL, each load from a process of its own; prints the
// table and rewrites docs/BENCHMARKS.md. See docs/BENCHMARKS.md for the flags.
import { execSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { runDrain, runLatency } from "@/bench/delivery";
import { runCounts } from "@/bench/counts";
import { runOutside } from "@/bench/from-outside";
import { runIngest } from "@/bench/ingest";
import { compareInstrumentation, INSTRUMENTED, instrumentationRows, QUIET } from "@/bench/instrumentation-cost";
import { dropDatabase, prepareDatabase, SERVER_URL } from "@/bench/lib/bench-db";
import { startHub } from "@/bench/lib/hub-server";
import { machine, markdownResults, printTable, rowsOfSkippedSections } from "@/bench/lib/report";
import type { BenchResult } from "@/bench/lib/results";
import { runSearch } from "@/bench/search";
import { runSignInFlood } from "@/bench/sign-in-flood";
import { seedSearchData } from "@/bench/seed-search-data";
import { getConfig } from "@/server/config";

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    duration: { type: "string" },
    deliveries: { type: "string" },
    notices: { type: "string" },
    exchanges: { type: "string" },
    "count-deliveries": { type: "string" },
    "search-db": { type: "string" },
    only: { type: "string", default: "ingest,delivery,dashboard,search" },
    port: { type: "string", default: "3107" },
    keep: { type: "boolean", default: false },
    doc: { type: "boolean" },
  },
});
const quick = flags.quick;
const scale = {
  duration: Number(flags.duration ?? (quick ? 5 : 15)),
  deliveries: Number(flags.deliveries ?? (quick ? 2_000 : 20_000)),
  notices: Number(flags.notices ?? (quick ? 20_000 : 1_000_000)),
  exchanges: Number(flags.exchanges ?? (quick ? 200_000 : 10_000_000)),
  countDeliveries: Number(flags["count-deliveries"] ?? (quick ? 100_000 : 1_000_000)),
};
const only = new Set(flags.only.split(","));
const port = Number(flags.port);
const poolMax = getConfig().DATABASE_POOL_MAX;
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;

// The bench builds and serves its own copy (next.config.mjs reads NEXT_DIST_DIR),
// always fresh, so it never measures stale code nor disturbs another build
// (NEXT_DIST_DIR picks another folder, for two benches at once).
process.env.NEXT_DIST_DIR ||= ".next-bench";

function build() {
  console.log(`[bench] next build → ${process.env.NEXT_DIST_DIR}`);
  execSync("npx next build", { stdio: "inherit" });
}

async function serverVersion() {
  const sql = postgres(SERVER_URL, { max: 1 });
  const [row] = await sql`show server_version`;
  await sql.end();
  return row!.server_version as string;
}

const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dbName = `hub_bench_${stamp}`;
const searchDb = flags["search-db"] ?? `${dbName}_search`;
const countsDb = `${dbName}_counts`;
const results: BenchResult[] = [];
/** A section that fails (the shared database restarted under us…) is reported, and the others still run. */
async function section(name: BenchResult["section"], run: () => Promise<BenchResult[]>) {
  try {
    results.push(...(await run()));
  } catch (error) {
    console.error(`[bench] ${name} failed`, error);
    results.push({ section: name, name: `${name} did not finish`, value: "error", pass: false, note: (error as Error).message.split("\n")[0] });
  }
}
const log = (message: string) => console.log(`[bench] ${new Date().toISOString().slice(11, 19)} ${message}`);

// Only ingest and delivery run the production build; search and the deliveries page time functions.
if (only.has("ingest") || only.has("delivery")) build();
const info = machine(await serverVersion());
try {
  if (only.has("ingest") || only.has("delivery")) {
    const url = await prepareDatabase(dbName);
    if (only.has("ingest")) {
      log(`ingest: ${scale.duration} s per load, database ${dbName}`);
      await section("ingest", async () => {
        const hub = await startHub({ port, databaseUrl: url, env: { WORKER: "off", ...INSTRUMENTED } });
        try {
          return await runIngest(hub, { duration: scale.duration, connections: 10, rate: 500, poolMax, databaseUrl: url });
        } finally {
          await hub.stop();
        }
      });
      log("ingest: metrics + logging on vs off, two hubs in alternating turns");
      await section("ingest", async () => {
        const on = await startHub({ port, databaseUrl: url, env: { WORKER: "off", ...INSTRUMENTED } });
        const off = await startHub({ port: port + 1, databaseUrl: url, env: { WORKER: "off", ...QUIET } });
        try {
          // At a fixed rate both hubs take the same calls, so the hub's CPU per call is the cost itself. At max
          // rate the turns' req/s swung ±10 % between runs (07:52: on 10 % slower; 05:30: on 4.5 % faster),
          // more than the cost measured (bench/findings.md, "Issue 10: what metrics and logging cost").
          const rounds = 6;
          const rate = 200;
          return instrumentationRows(await compareInstrumentation(on, off, { duration: Math.min(scale.duration, 10), connections: 10, rounds, rate }), { rounds, rate });
        } finally {
          await on.stop();
          await off.stop();
        }
      });
      log("ingest: partner calls beside a sign-in flood");
      await section("ingest", async () => {
        // One trusted proxy hop: each flooder's made-up X-Forwarded-For is an address of its own.
        const hub = await startHub({ port, databaseUrl: url, env: { WORKER: "off", ...INSTRUMENTED, TRUSTED_PROXY_HOPS: "1" } });
        try {
          return await runSignInFlood(hub);
        } finally {
          await hub.stop();
        }
      });
    }
    if (only.has("delivery")) {
      log(`delivery: drain ${scale.deliveries} (hub worker, then pg-boss)`);
      await section("delivery", () => runDrain(url, scale.deliveries));
      log("delivery: accept → delivered latency at 200 req/s");
      await section("delivery", () => runLatency(url, { port, duration: scale.duration, rate: 200 }));
    }
  }
  if (only.has("delivery")) {
    log(`delivery: accept → delivered from outside, fresh database then warm, PostgreSQL and embedded (${scale.duration} s per load)`);
    await section("delivery", () => runOutside(port, scale.duration));
  }
  if (only.has("dashboard")) {
    log(`deliveries page: seeding ${countsDb} with ${scale.countDeliveries} deliveries`);
    const url = await prepareDatabase(countsDb);
    await section("dashboard", () => runCounts(url, scale.countDeliveries));
  }
  if (only.has("search")) {
    log(`search: seeding ${searchDb} with ${scale.notices} notices, ${scale.exchanges} exchanges (resumes if interrupted)`);
    const url = await prepareDatabase(searchDb);
    await seedSearchData(url, { notices: scale.notices, exchanges: scale.exchanges });
    log("search: timing every key");
    await section("search", () => runSearch(url, scale));
    results.push({ section: "memory", name: "hub peak RSS, search", value: "n/a", note: "search is timed through the search function in the bench process (the dashboard route needs a session)" });
  }
} finally {
  if (!flags.keep) {
    await dropDatabase(dbName).catch(() => {});
    await dropDatabase(countsDb).catch(() => {});
    if (!flags["search-db"]) await dropDatabase(searchDb).catch(() => {});
  }
}

console.log("");
printTable(results);
const missed = results.filter((r) => r.pass === false);
console.log(`\n${results.filter((r) => r.pass).length} targets met, ${missed.length} missed`);

if (flags.doc ?? !quick) {
  const findings = readFileSync("bench/findings.md", "utf8");
  // A run of some sections (`--only`) keeps the others' rows from the page as it was.
  const kept = rowsOfSkippedSections(readFileSync("docs/BENCHMARKS.md", "utf8"), only);
  const doc = `# Benchmarks

Generated by \`${command}\` (bench/run.ts); do not edit by hand. Findings and
fixes below come from bench/findings.md.

Every load comes from a process other than the one measured (autocannon in the
bench process; the hub as \`npm start\` (server/http-main.ts) over the production build; the store-order probe, the worker,
the fake counterpart, the database ceiling and pg-boss each in their own), all
against one PostgreSQL server. This machine is shared and has 2 cores, so the
absolute numbers drift from run to run: read the **ratios**, which are measured
side by side in the same run.

## Machine

| | |
| --- | --- |
| CPU | ${info.cpu} |
| memory | ${info.memory} |
| Node.js | ${info.node} |
| PostgreSQL | ${info.postgres} |
| load average at the end | ${info.load} |
| date | ${info.date} |

Scale: ${scale.duration} s per load, ${scale.deliveries.toLocaleString("en-US")} deliveries, ${scale.notices.toLocaleString("en-US")} notices, ${scale.exchanges.toLocaleString("en-US")} exchange rows; pool ${poolMax}.

## Results

${[markdownResults(results), ...kept].join("\n")}

${findings}`;
  writeFileSync("docs/BENCHMARKS.md", doc);
  console.log("docs/BENCHMARKS.md rewritten");
}
process.exit(0);
