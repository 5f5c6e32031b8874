import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { executeRows } from "@/db/rows";
import { log } from "@/server/log";

/**
 * The exchange log and the attempt history, partitioned by month of their time
 * column (SPEC §9; migration 0012_partition_log_by_month makes them so). One list,
 * read by the create-ahead, the retention and the tests.
 */
export const LOG_TABLES = [
  { table: "exchanges", timeColumn: "received_at" },
  { table: "delivery_attempts", timeColumn: "started_at" },
] as const;

export type LogTable = (typeof LOG_TABLES)[number]["table"];

/** Months created ahead of the current one, so a month is ready long before its first row. */
export const MONTHS_AHEAD = 2;

// Any constant: one instance at a time creates or drops partitions; the others skip.
const LOG_PARTITIONS_LOCK = 728_133_010;
// Dropping a partition takes ACCESS EXCLUSIVE on its parent (DETACH … CONCURRENTLY is refused while a
// DEFAULT partition exists): partner calls queue behind the DDL while it waits for a slow reader, so
// it gives up soon and tries again the next day.
const LOCK_TIMEOUT = "2s";

/** The first instant (UTC midnight) of the month `offset` months after the one `at` falls in. */
export function monthStart(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

/** `exchanges_2026_11`: the partition of `table` for the month starting at `month` (UTC), as the migration names it. */
export function partitionName(table: LogTable, month: Date): string {
  return `${table}_${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, "0")}`;
}

export type LogPartition = { table: LogTable; name: string; from: Date; to: Date };

/**
 * The monthly partitions of `table` with their bounds ([from, to), UTC), oldest
 * first; the DEFAULT partition (rows of a month that had none) is not listed.
 */
export async function listLogPartitions(db: Db, table: LogTable): Promise<LogPartition[]> {
  // The bounds are printed in the session's time zone; read back in the same session, as epoch ms.
  const rows = await executeRows<{ name: string; from: number; to: number }>(
    db,
    sql`
    select name,
           extract(epoch from (regexp_match(bound, 'FROM [(]''([^'']+)'''))[1]::timestamptz)::float8 * 1000 as "from",
           extract(epoch from (regexp_match(bound, 'TO [(]''([^'']+)'''))[1]::timestamptz)::float8 * 1000 as "to"
      from (select c.relname::text as name, pg_get_expr(c.relpartbound, c.oid) as bound
              from pg_inherits i join pg_class c on c.oid = i.inhrelid
             where i.inhparent = to_regclass(${table})) partitions
     where bound <> 'DEFAULT'`,
  );
  return rows
    .map((row) => ({ table, name: row.name, from: new Date(Number(row.from)), to: new Date(Number(row.to)) }))
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

/**
 * Makes sure every log table has a partition for the month of `now` and the
 * MONTHS_AHEAD months after it (createLogPartitions).
 *
 * @returns the names of the partitions created
 */
export function createLogPartitionsAhead(db: Db, now: Date): Promise<string[]> {
  return createLogPartitions(db, now, monthStart(now, MONTHS_AHEAD));
}

/**
 * Makes sure every log table has a partition for each month from the one of
 * `from` through the one of `to` (UTC). A new month's partition is created on
 * its own, given any rows of that month the DEFAULT partition caught, then
 * attached (SHARE UPDATE EXCLUSIVE on the parent: partner calls keep writing
 * meanwhile). Safe to run from several instances at once: one does the work
 * under an advisory lock, the others find nothing missing or skip.
 *
 * @returns the names of the partitions created (empty when none was missing or another instance holds the lock)
 * @throws the database's error (e.g. lock_timeout) — the next run tries again
 */
export async function createLogPartitions(db: Db, from: Date, to: Date): Promise<string[]> {
  const months: Date[] = [];
  for (let month = monthStart(from); month <= to; month = monthStart(month, 1)) months.push(month);
  const wanted = LOG_TABLES.flatMap(({ table, timeColumn }) => months.map((month) => ({ table, timeColumn, from: month, to: monthStart(month, 1) })));
  const missing = async (q: Db) => {
    const existing = new Set((await Promise.all(LOG_TABLES.map(({ table }) => listLogPartitions(q, table)))).flat().map((p) => p.name));
    return wanted.filter((month) => !existing.has(partitionName(month.table, month.from)));
  };
  if ((await missing(db)).length === 0) return [];

  return db.transaction(async (tx) => {
    if (!(await tryLock(tx))) return [];
    const created: string[] = [];
    for (const month of await missing(tx)) {
      const name = partitionName(month.table, month.from);
      const [lower, upper] = [month.from.toISOString(), month.to.toISOString()];
      await tx.execute(sql.raw(`create table "${name}" (like "${month.table}" including defaults)`));
      await tx.execute(
        sql.raw(`with moved as (delete from "${month.table}_default" where "${month.timeColumn}" >= '${lower}' and "${month.timeColumn}" < '${upper}' returning *)
                 insert into "${name}" select * from moved`),
      );
      await tx.execute(sql.raw(`alter table "${month.table}" attach partition "${name}" for values from ('${lower}') to ('${upper}')`));
      created.push(name);
    }
    return created;
  });
}

/**
 * Drops the monthly partitions of the log entirely older than the retention
 * window (their end <= now - retentionDays), and the DEFAULT partition's rows
 * of such months. Notices, deliveries, their audit (delivery_actions) and
 * anomalies are other tables and stay; idempotency keys have their own,
 * shorter retention (server/partner/forget-old-calls.ts).
 *
 * @param retentionDays LOG_RETENTION_DAYS (SPEC §9, default 180)
 * @returns the names of the partitions dropped (empty when another instance holds the lock)
 * @throws the database's error (e.g. lock_timeout) — the next run tries again
 */
export async function dropExpiredLogPartitions(db: Db, now: Date, retentionDays: number): Promise<string[]> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 3600_000);
  const keptFrom = monthStart(cutoff);
  return db.transaction(async (tx) => {
    if (!(await tryLock(tx))) return [];
    const dropped: string[] = [];
    for (const { table, timeColumn } of LOG_TABLES) {
      for (const partition of await listLogPartitions(tx, table)) {
        if (partition.to.getTime() > keptFrom.getTime()) continue;
        await tx.execute(sql.raw(`drop table "${partition.name}"`));
        dropped.push(partition.name);
      }
      await tx.execute(sql.raw(`delete from "${table}_default" where "${timeColumn}" < '${keptFrom.toISOString()}'`));
    }
    return dropped;
  });
}

async function tryLock(tx: Db): Promise<boolean> {
  await tx.execute(sql.raw(`set local lock_timeout = '${LOCK_TIMEOUT}'`));
  const [row] = await executeRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${LOG_PARTITIONS_LOCK}) as locked`);
  return row?.locked === true;
}

/**
 * The daily log upkeep (SPEC §9): months created ahead, expired months dropped.
 * The second step runs even when the first failed; a failure is reported, not thrown,
 * and the next run tries again.
 *
 * @param now the clock (injected by tests)
 * @param retentionDays LOG_RETENTION_DAYS
 */
export async function maintainLogPartitions(db: Db, now: Date, retentionDays: number): Promise<{ created: string[]; dropped: string[] }> {
  // One after the other: both take the same advisory lock.
  const created = await createLogPartitionsAhead(db, now).catch(reportFailure);
  const dropped = await dropExpiredLogPartitions(db, now, retentionDays).catch(reportFailure);
  return { created, dropped };
}

function reportFailure(error: unknown): string[] {
  log.error({ err: error, component: "log-partitions" }, "log partition upkeep failed; next try in a day");
  return [];
}
