import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { executeRows } from "@/db/rows";
import { log } from "@/server/log";

// Tables that grow by a row per call or event outside the partitioned log
// (issue 10: "a database that does not fill the disk"). The log's own months
// are dropped whole (log-partitions.ts), idempotency keys have their own
// retention (server/partner/forget-old-calls.ts); these are deleted by age.

/** Rows deleted per statement: no delete holds its locks for long. */
const ROWS_PER_DELETE = 5_000;

/** Refused-call counters are for spotting a flood and its source: a month is ample. */
export const REFUSED_TALLY_RETENTION_DAYS = 30;

/**
 * What is kept, and for how long. `days: "log"` follows LOG_RETENTION_DAYS, as
 * the exchange log does. `where` keeps rows still in use (an alert send still
 * pending is kept whatever its age).
 */
export const AGED_TABLES = [
  { table: "refused_call_tallies", timeColumn: "minute", days: REFUSED_TALLY_RETENTION_DAYS, where: "true" },
  { table: "alert_sends", timeColumn: "created_at", days: "log", where: "state <> 'pending'" },
] as const;

/**
 * Deletes the rows of AGED_TABLES older than their retention, in batches of
 * ROWS_PER_DELETE. Also the sign-in throttle's rows whose block has expired
 * (`expire` in ms since the epoch).
 *
 * @param now the clock (injected by tests)
 * @param logRetentionDays LOG_RETENTION_DAYS (SPEC §9, default 180)
 * @returns rows deleted per table
 * @throws the database's error — the next run tries again
 */
export async function forgetOldRows(db: Db, now: Date, logRetentionDays: number): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const { table, timeColumn, days, where } of AGED_TABLES) {
    const cutoff = new Date(now.getTime() - (days === "log" ? logRetentionDays : days) * 24 * 3600_000);
    deleted[table] = await deleteInBatches(db, table, sql.raw(`${timeColumn} < '${cutoff.toISOString()}' and ${where}`));
  }
  deleted.sign_in_limits = await deleteInBatches(db, "sign_in_limits", sql`expire is not null and expire < ${now.getTime()}`);
  return deleted;
}

async function deleteInBatches(db: Db, table: string, condition: ReturnType<typeof sql>): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await executeRows<{ n: number }>(
      db,
      sql`with gone as (
            delete from ${sql.identifier(table)}
             where ctid in (select ctid from ${sql.identifier(table)} where ${condition} limit ${ROWS_PER_DELETE})
            returning 1)
          select count(*)::int as n from gone`,
    );
    const n = Number(rows[0]?.n ?? 0);
    total += n;
    if (n < ROWS_PER_DELETE) return total;
  }
}

/** forgetOldRows for the daily upkeep: logs what went, reports a failure instead of throwing. */
export async function forgetOldRowsAndReport(db: Db, now: Date, logRetentionDays: number): Promise<void> {
  try {
    const deleted = await forgetOldRows(db, now, logRetentionDays);
    if (Object.values(deleted).some((n) => n > 0)) log.info({ component: "retention", deleted }, "old rows deleted");
  } catch (error) {
    log.error({ err: error, component: "retention" }, "could not delete old rows; next try in a day");
  }
}
