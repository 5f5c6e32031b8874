import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "@/db/client";
import { STORY_DISPATCH_NO } from "@/bench/seed-search-data";
import { ms, type BenchResult } from "@/bench/lib/results";
import { summarize } from "@/bench/lib/stats";
import { getNoticeStory } from "@/server/dashboard/get-notice-story";
import { listNoticeTimeline, noticeTimelineSchema } from "@/server/dashboard/list-notice-timeline";
import { searchNotices } from "@/server/dashboard/search-notices";

const SAMPLES = 50;

// Where a key a customer might quote lives; each samples real values from random rows.
const KEYS: { name: string; table: string; column: string }[] = [
  { name: "dispatchNO", table: "notices", column: "dispatch_no" },
  { name: "purchaseCode", table: "notices", column: "purchase_code" },
  { name: "memberCode", table: "notices", column: "member_code" },
  { name: "receiver", table: "notices", column: "receiver" },
  { name: "phone", table: "notices", column: "phone" },
  { name: "phone last 4", table: "notices", column: "phone_tail" },
  { name: "transferCode", table: "transfers", column: "transfer_code" },
  { name: "waybill (current)", table: "packages", column: "waybill_code" },
  { name: "waybill (old)", table: "waybill_changes", column: "old_waybill_code" },
  { name: "serial", table: "pieces", column: "sn" },
  { name: "shopCode", table: "notices", column: "shop_code" },
];

type Plan = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; "Actual Rows"?: number; "Actual Loops"?: number; Plans?: Plan[] };

/** Every scan of a table in the plan, with the rows it read (EXPLAIN ANALYZE's rows × loops). */
function scans(plan: Plan): { scan: string; rows: number }[] {
  const scan = `${plan["Node Type"]}${plan["Index Name"] ? ` ${plan["Index Name"]}` : ` ${plan["Relation Name"]}`}`;
  const own = plan["Node Type"].includes("Scan") && plan["Relation Name"] ? [{ scan, rows: (plan["Actual Rows"] ?? 0) * (plan["Actual Loops"] ?? 1) }] : [];
  return [...own, ...(plan.Plans ?? []).flatMap(scans)];
}

async function sampleValues(sql: postgres.Sql, key: (typeof KEYS)[number]): Promise<string[]> {
  const [bounds] = await sql.unsafe(`select max(id)::float8 as max from ${key.table}`);
  const ids = Array.from({ length: SAMPLES * 3 }, () => 1 + Math.floor(Math.random() * bounds!.max));
  const rows = await sql.unsafe(`select ${key.column} as value from ${key.table} where id = any($1::bigint[]) and ${key.column} is not null limit ${SAMPLES}`, [ids]);
  return rows.map((row) => row.value as string);
}

const time = async (run: () => Promise<unknown>) => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};

/** Times every search key through the dashboard's own search function, and the notice page's queries. */
export async function runSearch(url: string, seeded: { notices: number; exchanges: number }): Promise<BenchResult[]> {
  let lastQuery: { text: string; params: unknown[] } | undefined;
  const client = postgres(url, { max: 10, onnotice: () => {}, debug: (_conn, text, params) => (lastQuery ??= { text, params: params as unknown[] }) });
  const db = drizzle({ client, casing: "snake_case" }) as unknown as Db;
  const size = `${seeded.notices.toLocaleString("en-US")} notices, ${seeded.exchanges.toLocaleString("en-US")} exchanges`;
  const results: BenchResult[] = [];
  try {
    const sizes = await client`select relname, reltuples::float8 as rows from pg_class where relkind = 'r'`;
    const tableRows = new Map(sizes.map((row) => [row.relname as string, row.rows as number]));
    for (const key of KEYS) {
      const values = await sampleValues(client, key);
      await searchNotices(db, { term: values[0] }); // warm the statement cache
      const timings: number[] = [];
      let found = 0;
      for (const term of values) {
        let page: Awaited<ReturnType<typeof searchNotices>> | undefined;
        timings.push(await time(async () => (page = await searchNotices(db, { term }))));
        if (page!.rows.length > 0) found++;
      }
      // The search's own statement is the call's first; the hits' explanations (search-matches.ts) follow it.
      lastQuery = undefined;
      await searchNotices(db, { term: values[0] });
      const query = lastQuery!;
      const [explained] = await client.unsafe(`explain (analyze, format json) ${query.text}`, query.params as never[]);
      const plan = (explained!["QUERY PLAN"] as { Plan: Plan }[])[0]!.Plan;
      const scanList = scans(plan);
      // A sequential scan of an empty or tiny table (no returns or anomalies seeded) is the right plan; only big ones matter.
      const seqScans = [...new Set(scanList.map(({ scan }) => scan).filter((scan) => scan.startsWith("Seq Scan") && (tableRows.get(scan.slice("Seq Scan ".length)) ?? 0) > 10_000))];
      // The scans that read most rows for the first key: where this key's time goes.
      const heaviest = scanList.toSorted((a, b) => b.rows - a.rows).slice(0, 2).map(({ scan, rows }) => `${scan} (${rows} rows)`);
      const summary = summarize(timings);
      results.push({
        section: "search",
        name: `search by ${key.name} (${values.length} keys, ${found} found)`,
        value: `p50 ${ms(summary.p50)}, p95 ${ms(summary.p95)}`,
        target: "p95 < 50 ms",
        pass: summary.p95 < 50,
        note: `${seqScans.length ? `SEQ SCANS: ${seqScans.join(", ")}` : "no seq scan of a big table"}; most rows read: ${heaviest.join(", ")}`,
      });
    }
    const [story] = await client<{ id: number }[]>`select id::float8 as id from notices where dispatch_no = ${STORY_DISPATCH_NO}`;
    const storyTimings: number[] = [];
    let entries = 0;
    for (let i = 0; i < 21; i++) {
      const took = await time(async () => {
        const [, timeline] = await Promise.all([
          getNoticeStory(db, story!.id),
          listNoticeTimeline(db, noticeTimelineSchema.parse({ id: story!.id })),
        ]);
        entries = timeline.groups.length;
      });
      if (i > 0) storyTimings.push(took);
    }
    const summary = summarize(storyTimings);
    results.push({
      section: "search",
      name: `notice page queries, 3 transfers, first timeline page of ${entries} calls`,
      value: `p50 ${ms(summary.p50)}, max ${ms(summary.max)}`,
      target: "< 50 ms",
      pass: summary.p50 < 50,
      note: size,
    });
    return results;
  } finally {
    await client.end();
  }
}
