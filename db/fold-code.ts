import { sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * A stored code as search compares it: NFKC (full-width → ASCII) then upper
 * case — the SQL twin of foldCode (server/dashboard/search-terms.ts), so a
 * waybill a partner sent as `sf123` or `ＳＦ１２３` is found by `SF123` (SPEC §6).
 * The schema indexes exactly this expression on every searched code column;
 * a query must spell it the same way for PostgreSQL to use those indexes.
 */
export const foldedCode = (column: PgColumn | SQL): SQL => sql`upper(normalize(${column}, NFKC))`;
