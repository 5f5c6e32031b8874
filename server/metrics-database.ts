import { sql } from "drizzle-orm";
import { getHubDatabase, type HubDatabase } from "@/db/client";
import { openDeliveryStates, partnerSides } from "@/lib/states";
import { log } from "@/server/log";
import { Gauge, hubMetrics, metricOnce } from "@/server/metrics";

/**
 * Series read from the database at scrape time, each with one bounded query
 * (SPEC §9): open deliveries by state and side and the oldest one's age per
 * side (one range of the (state, created_at) index: open deliveries only, never
 * the delivered history), the outbox's estimated size (pg_class.reltuples, no
 * count), and this process's pool connections in use (pg_stat_activity, by the
 * application_name db/client.ts gives them). A scrape while the database is
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
    help: "Deliveries kept, every state (PostgreSQL's estimate, not a count).",
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
    help: "This process's PostgreSQL connections, by state (in_use, open) and the pool's maximum (max).",
    labelNames: ["state"] as const,
    registers,
    async collect() {
      const current = await read();
      this.reset();
      if (!current?.pool) return;
      this.set({ state: "in_use" }, current.pool.inUse);
      this.set({ state: "open" }, current.pool.open);
      this.set({ state: "max" }, current.pool.max);
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
  pool?: { inUse: number; open: number; max: number };
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
    await hub.db.execute(sql`select greatest(reltuples, 0)::float8 as total from pg_class where oid = 'deliveries'::regclass`),
  );
  let pool: DatabaseReading["pool"];
  if (hub.applicationName) {
    // This scrape's own query is one of the busy ones: not counted.
    const [row] = rowsOf<{ busy: number; open: number }>(
      await hub.db.execute(sql`select (count(*) filter (where state <> 'idle'))::int as busy, count(*)::int as open
        from pg_stat_activity where application_name = ${hub.applicationName}`),
    );
    pool = { inUse: Math.max(0, (row?.busy ?? 1) - 1), open: row?.open ?? 0, max: hub.poolMax };
  }
  return {
    now: Date.now(),
    open: open.map((row) => ({ ...row, count: Number(row.count), oldest: new Date(row.oldest) })),
    estimatedTotal: Number(estimate?.total ?? 0),
    pool,
  };
}
