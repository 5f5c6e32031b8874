import { inArray, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * A code as stored by partners: NFKC (full-width → ASCII) and upper case.
 * `ｓｆ１２３` → `SF123`. Plain string code (no imports), so both the schema
 * (loaded by drizzle-kit without path aliases) and the search can use it.
 */
export const foldCode = (text: string) => text.normalize("NFKC").toUpperCase();

/**
 * A stored code as search compares it: NFKC (full-width → ASCII) then upper
 * case — the SQL twin of foldCode above, so a
 * waybill a partner sent as `sf123` or `ＳＦ１２３` is found by `SF123` (SPEC §6).
 * The schema indexes exactly this expression on every searched code column;
 * a query must spell it the same way for PostgreSQL to use those indexes.
 */
export const foldedCode = (column: PgColumn | SQL): SQL => sql`upper(normalize(${column}, NFKC))`;

/**
 * Whether `column` holds the code a person typed into a filter (SPEC §6: codes
 * are found whatever the case and in full-width characters). Every filter fed
 * a typed code uses this, so `s001`, `ＳＦ１２３` or `ｄｎ－ａｂ１２` mean what the
 * search word means. `typed` is trimmed and folded by foldCode; `index` names
 * the index the comparison must stay on:
 *
 * - `"folded"`: `upper(normalize(col, NFKC)) = $folded` — the column's
 *   expression index (foldedCode, migration 0021; notices.dispatch_no:
 *   notices_folded_dispatch_no; exchanges.claimed_dispatch_no: exchanges_folded_claimed_dispatch_no).
 *   Finds the code stored in any case or width.
 * - `"plain"`: `col in ($typed, $folded)`, one `=` when they are the same —
 *   the column's ordinary btree. Finds the code stored as typed or already
 *   folded (upper case ASCII), not one stored in lower case or full width.
 *   For columns without an expression index whose codes are stored in that
 *   form (notices.shop_code: its (shop_code, created_at) index pages a shop's
 *   notices), and for the exchange log's dispatch_no
 *   (written on every partner call: no index for a filter's sake).
 */
export function sameCode(column: PgColumn, typed: string, index: "folded" | "plain"): SQL {
  const folded = foldCode(typed).trim();
  if (index === "folded") return sql`${foldedCode(column)} = ${folded}`;
  const forms = [...new Set([typed.trim(), folded])];
  return forms.length === 1 ? sql`${column} = ${folded}` : inArray(column, forms);
}
