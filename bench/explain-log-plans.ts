// The log's read paths before and after monthly partitioning, on one seed: a
// database at the migration before 0011_partition_log_by_month is seeded with a
// log spread over the last 200 days, the hub's own queries (captured from the
// real dashboard and partner functions) are EXPLAIN ANALYZEd, the conversion
// migration runs (timed), and the same queries are explained again.
// Prints a Markdown summary for bench/findings.md.
//   npx tsx bench/explain-log-plans.ts [--notices 200000] [--per-notice 10] [--database hub_explain]
// (--database names the scratch database, dropped at the end; default a random name.)
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { exchanges, idempotencyKeys } from "@/db/schema/exchanges";
import { gatherFacts } from "@/server/alerts/gather-facts";
import { getNoticeStory } from "@/server/dashboard/get-notice-story";
import { listNoticeTimeline } from "@/server/dashboard/list-notice-timeline";
import { getOverview } from "@/server/dashboard/get-overview";
import { listInboundExchanges, listOutboundAttempts } from "@/server/dashboard/list-exchanges";
import { migrationBefore, openDatabaseAt, type MigratingDatabase } from "@/test/db/migrate-up-to";

const { values } = parseArgs({ options: { notices: { type: "string", default: "200000" }, "per-notice": { type: "string", default: "10" }, database: { type: "string" } } });
const NOTICES = Number(values.notices);
const PER_NOTICE = Number(values["per-notice"]);
process.env.DATABASE_URL ??= process.env.BENCH_SERVER_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const PATHS = `array['/pos/ordermake','/oms/delivery/package','/oms/delivery/package','/oms/delivery/notice','/pos/delivery/waybillchange','/oms/receive']`;
// Notices spread evenly over the last 200 days; each one's calls follow it hour by hour.
const noticeAt = (i: string) => `now() - interval '200 days' + ${i} * (interval '200 days' / ${NOTICES})`;

async function seed(db: MigratingDatabase) {
  const step = 50_000;
  for (let first = 1; first <= NOTICES; first += step) {
    const last = Math.min(NOTICES, first + step - 1);
    await db.query(`insert into notices (id, dispatch_no, kind, status, shop_code, created_at, updated_at, created_by_exchange_id)
      select i, 'DN' || lpad(i::text, 10, '0'), 'store_order', 'shipped', 'S' || lpad((i % 50)::text, 3, '0'), ${noticeAt("i")}, ${noticeAt("i")},
             ('00000000-0000-7000-8001-' || lpad(to_hex(i * ${PER_NOTICE}), 12, '0'))::uuid
        from generate_series(${first}, ${last}) as i`);
    await db.query(`insert into exchanges (id, received_at, side, path, headers, request_body, response_status, response_body, duration_ms, outcome, dispatch_no, notice_id, token_label)
      select ('00000000-0000-7000-8001-' || lpad(to_hex(i * ${PER_NOTICE} + k), 12, '0'))::uuid, ${noticeAt("i")} + k * interval '1 hour',
             (case when (${PATHS})[1 + k % 6] like '/pos/%' then 'pos' else 'oms' end)::partner_side, (${PATHS})[1 + k % 6],
             '{"content-type":"application/json"}', '{"dispatchNO":"DN' || lpad(i::text, 10, '0') || '"}', 200, '{"success":true}',
             3 + k, 'accepted', 'DN' || lpad(i::text, 10, '0'), i, 'HUB_POS_TOKEN'
        from generate_series(${first}, ${last}) as i, generate_series(0, ${PER_NOTICE - 1}) as k`);
    await db.query(`insert into deliveries (id, delivery_id, exchange_id, notice_id, order_key, target, path, payload, state, attempts, next_attempt_at, deadline_at, created_at, finished_at)
      select i, ('00000000-0000-4000-8003-' || lpad(to_hex(i), 12, '0'))::uuid, ('00000000-0000-7000-8001-' || lpad(to_hex(i * ${PER_NOTICE}), 12, '0'))::uuid,
             i, 'DN' || lpad(i::text, 10, '0'), 'oms', '/pos/ordermake', '{}', 'delivered', 2, ${noticeAt("i")}, ${noticeAt("i")} + interval '1 hour', ${noticeAt("i")}, ${noticeAt("i")} + interval '20 seconds'
        from generate_series(${first}, ${last}) as i`);
    await db.query(`insert into delivery_attempts (delivery_id, attempt_no, payload_version, url, started_at, duration_ms, http_status, response_body, outcome, worker)
      select i, a, 1, 'http://127.0.0.1:4102/pos/ordermake', ${noticeAt("i")} + a * interval '10 seconds', 12,
             case when a = 1 then 502 else 200 end, case when a = 1 then 'bad gateway' else '{"success":true}' end,
             (case when a = 1 then 'failed' else 'delivered' end)::attempt_outcome, 'bench'
        from generate_series(${first}, ${last}) as i, generate_series(1, 2) as a`);
    process.stderr.write(`\r[seed] notices ${last} / ${NOTICES}   `);
  }
  // Idempotency keys live 30 days: the last 30 days' calls have one.
  await db.query(`insert into idempotency_keys (key, exchange_id, created_at) select 'k' || id, id, received_at from exchanges where received_at > now() - interval '30 days'`);
  await db.query(`select setval('notices_id_seq', ${NOTICES})`);
  await db.query(`select setval('deliveries_id_seq', ${NOTICES})`);
  process.stderr.write("\n");
}

type Captured = { query: string; params: unknown[] };

/** Runs the hub's own read paths on `db` and returns the statements they sent that read the log. */
async function captureLogQueries(db: Db, capture: Captured[]): Promise<string[]> {
  const labels: string[] = [];
  const run = async (label: string, work: () => Promise<unknown>) => {
    const before = capture.length;
    await work();
    for (let i = before; i < capture.length; i++) labels[i] = label;
  };
  const mid = Math.round(NOTICES * 0.85);
  let next: Awaited<ReturnType<typeof listInboundExchanges>>["nextCursor"] = null;
  await run("exchange log, first page", async () => (next = (await listInboundExchanges(db, {})).nextCursor));
  await run("exchange log, one path", () => listInboundExchanges(db, { path: "/oms/delivery/notice" }));
  await run("exchange log, by dispatchNO", () => listInboundExchanges(db, { dispatchNo: `DN${String(mid).padStart(10, "0")}` }));
  await run("exchange log, next page (keyset)", () => listInboundExchanges(db, { cursor: next ?? undefined }));
  await run("attempt log, first page", () => listOutboundAttempts(db, {}));
  await run("notice page", () => getNoticeStory(db, mid));
  await run("notice timeline, first page", () => listNoticeTimeline(db, { id: mid, onlyProblems: false, limit: 20 }));
  await run("notice timeline, only problems", () => listNoticeTimeline(db, { id: mid, onlyProblems: true, limit: 20 }));
  await run("overview, 24 h", () => getOverview(db, { range: "24h" }));
  await run("alert facts (calls in 5 min, last call per side)", () => gatherFacts(db, new Date(), () => Promise.resolve([])));
  await run("idempotency replay", () =>
    db
      .select({ status: exchanges.responseStatus, body: exchanges.responseBody })
      .from(idempotencyKeys)
      .leftJoin(exchanges, eq(exchanges.id, idempotencyKeys.exchangeId))
      .where(eq(idempotencyKeys.key, sql`(select key from idempotency_keys order by created_at desc offset 1000 limit 1)`)),
  );
  return labels;
}

type Plan = { label: string; ms: number; scans: string; buffers: number };

async function explainAll(database: MigratingDatabase, capture: Captured[]): Promise<Plan[]> {
  capture.length = 0;
  const labels = await captureLogQueries(database.db, capture);
  const plans: Plan[] = [];
  for (const [i, { query, params }] of capture.entries()) {
    if (!/exchanges|delivery_attempts/.test(query)) continue;
    const [row] = await database.queryWith<{ "QUERY PLAN": unknown }>(`explain (analyze, buffers, format json) ${query}`, params);
    const [top] = row!["QUERY PLAN"] as [{ Plan: PlanNode; "Execution Time": number }];
    const scans = new Map<string, number>();
    walk(top.Plan, (node) => {
      // A Bitmap Index Scan names its index only; its heap scan names the table.
      if (!/Scan/.test(node["Node Type"]) || !/^(exchanges|delivery_attempts)/.test(node["Relation Name"] ?? node["Index Name"] ?? "")) return;
      const kind = `${node["Node Type"]}${node["Index Name"] ? ` ${node["Index Name"].replace(/^(exchanges|delivery_attempts)_\d{4}_\d{2}_|^(exchanges|delivery_attempts)_default_/, "<month>_")}` : ""}`;
      scans.set(kind, (scans.get(kind) ?? 0) + (node["Actual Loops"] > 0 ? 1 : 0));
    });
    plans.push({
      label: labels[i]!,
      ms: top["Execution Time"],
      scans: [...scans].map(([kind, n]) => `${kind} ×${n}`).join(", ") || "(no log scan)",
      buffers: (top.Plan["Shared Hit Blocks"] ?? 0) + (top.Plan["Shared Read Blocks"] ?? 0),
    });
  }
  return plans;
}

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Loops": number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
};

function walk(node: PlanNode, visit: (node: PlanNode) => void) {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

const capture: Captured[] = [];
const database = await openDatabaseAt(migrationBefore("partition_log_by_month"), {
  logQuery: (query, params) => capture.push({ query, params }),
}, { name: values.database });
try {
  await seed(database);
  await database.query("analyze");
  // Warm once, measure the second run (both schemas get the same treatment).
  // This code's queries may read columns later migrations added: then there is no "before".
  const before = await explainAll(database, capture)
    .then(() => explainAll(database, capture))
    .catch((error: unknown) => {
      console.error(`before: not measurable with this code on the unpartitioned schema (${(error as Error).message.split("\n")[0]})`);
      return null;
    });
  const started = performance.now();
  await database.migrateToLatest();
  const conversionSeconds = (performance.now() - started) / 1000;
  await database.query("analyze");
  await explainAll(database, capture);
  const after = await explainAll(database, capture);
  const [counts] = await database.query<{ exchanges: number; attempts: number; partitions: number }>(
    `select (select count(*) from exchanges)::float8 as exchanges, (select count(*) from delivery_attempts)::float8 as attempts,
            (select count(*) from pg_inherits where inhparent = 'exchanges'::regclass)::float8 as partitions`,
  );
  console.log(
    `Seed: ${NOTICES.toLocaleString("en-US")} notices over 200 days, ${counts!.exchanges.toLocaleString("en-US")} exchanges, ` +
      `${counts!.attempts.toLocaleString("en-US")} attempts; after conversion ${counts!.partitions} exchange partitions (incl. DEFAULT). ` +
      `Migrations from the conversion (0012) to the latest: ${conversionSeconds.toFixed(1)} s.\n`,
  );
  console.log("| query | before: time, buffers | after: time, buffers | plan before | plan after |\n| --- | --- | --- | --- | --- |");
  for (const [i, a] of after.entries()) {
    const b = before?.[i];
    console.log(`| ${a.label} | ${b ? `${b.ms.toFixed(2)} ms, ${b.buffers}` : "–"} | ${a.ms.toFixed(2)} ms, ${a.buffers} | ${b?.scans ?? "–"} | ${a.scans} |`);
  }
} finally {
  await database.close();
}
