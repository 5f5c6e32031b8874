import { type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";

/**
 * Rows of a raw statement. drizzle's `execute` answers an array with
 * postgres.js and `{ rows }` with PGlite; this reads both.
 */
export async function executeRows<Row>(db: Db, query: SQL): Promise<Row[]> {
  return rowsOf<Row>(await db.execute(query));
}

/** Rows of a raw statement's answer (a prepared one's too, db/prepared-in-transaction.ts), from either driver. */
export function rowsOf<Row>(answer: unknown): Row[] {
  const result = answer as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
}
