import { count, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { COUNT_BOUND } from "@/lib/bounded-count";

// Lists on the dashboard page by keyset (issue 9): each page asks for the rows
// after the last one shown, so page 500 costs what page 1 costs (OFFSET reads
// and throws away every row before it). Totals are counted up to a bound:
// "10 000+" is all a person needs, and the count never walks a whole log.

/** Characters of a body a list row carries; the whole body is loaded when a person opens the row. */
export const PREVIEW_CHARS = 2_000;

/** A bounded total: `count` exact when `more` is false, else at least COUNT_BOUND. */
export type BoundedCount = { count: number; more: boolean };

/**
 * Counts the rows of `table` matching `where`, reading at most COUNT_BOUND + 1
 * of them. Returns { count ≤ COUNT_BOUND, more }.
 */
export async function countUpToBound(db: Db, table: PgTable, where: SQL | undefined): Promise<BoundedCount> {
  const limited = db.select({ one: sql`1`.as("one") }).from(table).where(where).limit(COUNT_BOUND + 1).as("limited");
  const [row] = await db.select({ n: count() }).from(limited);
  const n = row?.n ?? 0;
  return { count: Math.min(n, COUNT_BOUND), more: n > COUNT_BOUND };
}

/**
 * "Rows after the cursor" in a list ordered by (at desc, id desc): the row
 * comparison PostgreSQL answers from an index on `at`.
 */
export function olderThan(at: PgColumn, id: PgColumn, cursor: { at: Date; id: string | number } | undefined): SQL | undefined {
  return cursor ? sql`(${at}, ${id}) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id})` : undefined;
}

/**
 * A page from rows fetched with `limit(size + 1)`: the first `size` rows, and
 * the cursor of the last one when more follow (null on the last page).
 */
export function keysetPage<T, C>(rows: T[], size: number, cursorOf: (row: T) => C): { rows: T[]; nextCursor: C | null } {
  const shown = rows.slice(0, size);
  return { rows: shown, nextCursor: rows.length > size ? cursorOf(shown.at(-1)!) : null };
}

/** A body's first PREVIEW_CHARS characters, cut in SQL so the rest never leaves the database. */
export const previewOf = (column: PgColumn | SQL) => sql<string>`left(${column}, ${sql.raw(String(PREVIEW_CHARS))})`;

/** A body's size in bytes; PostgreSQL reads it from the stored value's header without loading it. */
export const bytesOf = (column: PgColumn | SQL) => sql<number>`octet_length(${column})`.mapWith(Number);
