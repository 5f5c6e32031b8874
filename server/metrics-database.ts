import { sql } from "drizzle-orm";
import { getHubDatabase, type HubDatabase } from "@/db/client";
import { COUNT_BOUND } from "@/lib/bounded-count";
import { openDeliveryStates, partnerSides } from "@/lib/states";
import { log } from "@/server/log";
import { Gauge, hubMetrics, metricOnce } from "@/server/metrics";

/**
 * Series read from the database at scrape time, each with one bounded query
 * (SPEC §9): open deliveries by state and side and the oldest one's age per
 * side (one range of the (state, created_at) index: open deliveries only, never
 * the delivered history), the outbox's estimated size (pg_class.reltuples, no
 * count; before the table's first ANALYZE, when PostgreSQL has no estimate (-1),
 * a count bounded at COUNT_BOUND + 1), and this process's connections
 * (pg_stat_activity, by the application_names db/client.ts gives them: the
 * pool's, and the LISTEN connection's beside it). A scrape while the database is
 * away leaves them unset; the scrape itself still answers.
 */
export function registerDatabaseMetrics(): void {
  const registers = [hubMetrics().registry];
  const read = () => (holder.hubMetricsReading ??= readDatabaseForScrape());

  metricOnce("hub_deliveries", () => new Gauge({
    name: "hub_deliveries",
    help: "Open deliveries (pending, rejected, timed_out) by state and target side.",
    labelNames: ["state", "side"] as const,
    registers,
    async collect() {
      const current = await read();
      this.reset();
      if (!current) return;
      for (const state of openDeliveryStates) for (const side of partnerSides) this.set({ state, side }, 0);
      for (const row of current.open) this.set({ state: row.state, side: row.side }, row.count);
    },
  }));
  metricOnce("hub_deliveries_estimated_total", () => new Gauge({
    name: "hub_deliveries_estimated_total",
    help: `Deliveries kept, every state (PostgreSQL's estimate, not a count; before the first ANALYZE a count bounded at ${COUNT_BOUND + 1}).`,
    registers,
    async collect() {
      const current = await read();
      if (current) this.set(current.estimatedTotal);
    },
  }));
  metricOnce("hub_oldest_undelivered_age_seconds", () => new Gauge({
    name: "hub_oldest_undelivered_age_seconds",
    help: "Age of the oldest open (undelivered, not resolved or cancelled) delivery to each side; 0 when none.",
    labelNames: ["side"] as const,
    registers,
    async collect() {
      const current = await read();
      this.reset();
      if (!current) return;
      for (const side of partnerSides) {
        const oldest = current.open.filter((row) => row.side === side).map((row) => row.oldest.getTime());
        this.set({ side }, oldest.length ? Math.max(0, (current.now - Math.min(...oldest)) / 1000) : 0);
      }
    },
  }));
  metricOnce("hub_db_pool_connections", () => new Gauge({
    name: "hub_db_pool_connections",
    help: "This process's PostgreSQL connections: the pool's (in_use, open) and its maximum (max), and the one LISTEN connection beside the pool (listener). Sessions open: open + listener.",
    labelNames: ["state"] as const,
    registers,
    async collect() {
      const current = await read();
      this.reset();
      if (!current?.pool) return;
      this.set({ state: "in_use" }, current.pool.inUse);
      this.set({ state: "open" }, current.pool.open);
      this.set({ state: "max" }, current.pool.max);
      this.set({ state: "listener" }, current.pool.listener);
    },
  }));
}

// The gauges collect one after the other; they share one reading per scrape.
const holder = globalThis as unknown as { hubMetricsReading?: Promise<DatabaseReading | undefined> };

/** Starts this scrape's one database reading; the gauges' collect() awaits it. */
export function readDatabaseForScrape(): Promise<DatabaseReading | undefined> {
  holder.hubMetricsReading = readDatabase().catch((error: unknown) => {
    log.warn({ err: error, component: "metrics" }, "metrics: database not readable");
    return undefined;
  });
  return holder.hubMetricsReading;
}

type DatabaseReading = {
  now: number;
  open: { state: string; side: string; count: number; oldest: Date }[];
  estimatedTotal: number;
  /** The pool's connections (in use, open, its maximum) and the listening connection beside it (0 or 1). */
  pool?: { inUse: number; open: number; max: number; listener: number };
};

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

async function readDatabase(): Promise<DatabaseReading> {
  const hub: HubDatabase = await getHubDatabase();
  const states = sql.raw(openDeliveryStates.map((state) => `'${state}'`).join(", "));
  const open = rowsOf<{ state: string; side: string; count: number; oldest: string | Date }>(
    await hub.db.execute(sql`select state, target as side, count(*)::int as count, min(created_at) as oldest
      from deliveries where state in (${states}) group by state, target`),
  );
  const [estimate] = rowsOf<{ total: number }>(
    await hub.db.execute(sql`select reltuples::float8 as total from pg_class where oid = 'deliveries'::regclass`),
  );
  let estimatedTotal = Number(estimate?.total ?? -1);
  if (!(estimatedTotal >= 0)) {
    // -1: never vacuumed or analysed yet (a young database, before autovacuum's first ANALYZE), so no
    // estimate: a count, bounded like the pages' (up to COUNT_BOUND + 1, meaning "more").
    const [counted] = rowsOf<{ total: number }>(
      await hub.db.execute(sql`select count(*)::int as total from (select 1 from deliveries limit ${COUNT_BOUND + 1}) as kept`),
    );
    estimatedTotal = Number(counted?.total ?? 0);
  }
  let pool: DatabaseReading["pool"];
  if (hub.applicationName) {
    // This scrape's own query is one of the busy ones: not counted.
    const [row] = rowsOf<{ busy: number; open: number; listening: number }>(
      await hub.db.execute(sql`select (count(*) filter (where application_name = ${hub.applicationName} and state <> 'idle'))::int as busy,
          (count(*) filter (where application_name = ${hub.applicationName}))::int as open,
          (count(*) filter (where application_name = ${hub.listenerApplicationName ?? null}))::int as listening
        from pg_stat_activity where application_name in (${hub.applicationName}, ${hub.listenerApplicationName ?? hub.applicationName})`),
    );
    pool = { inUse: Math.max(0, (row?.busy ?? 1) - 1), open: row?.open ?? 0, max: hub.poolMax, listener: row?.listening ?? 0 };
  }
  return {
    now: Date.now(),
    open: open.map((row) => ({ ...row, count: Number(row.count), oldest: new Date(row.oldest) })),
    estimatedTotal,
    pool,
  };
}
