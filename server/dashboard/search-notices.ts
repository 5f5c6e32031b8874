import { foldCode, foldedCode, sameCode } from "@/db/fold-code";
import { and, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import { safeDate, safeText } from "@/server/input-guard";
import type { Db } from "@/db/client";
import { anomalies, noticeKind, noticeReturns, notices, noticeStatus, packages, pieces, transfers, waybillChanges } from "@/db/schema/notices";
import { deliveries } from "@/db/schema/deliveries";
import { matchesOf } from "@/server/dashboard/search-matches";
import { HubError } from "@/server/errors";
import { codeForms, nameForms, searchablePhone, searchWords } from "@/server/dashboard/search-terms";
import { COUNT_BOUND } from "@/lib/bounded-count";
import { countUpToBound, type BoundedCount } from "@/server/dashboard/keyset";

export const noticeSearchSchema = z.object({
  term: safeText(100).optional(),
  status: z.enum(noticeStatus.enumValues).optional(),
  kind: z.enum(noticeKind.enumValues).optional(),
  shopCode: safeText(64).optional(),
  createdFrom: safeDate().optional(),
  createdTo: safeDate().optional(),
  hasAnomalies: z.boolean().optional(),
  sort: z.enum(["createdAt", "updatedAt", "dispatchNo", "status"]).default("createdAt"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  page: z.number().int().min(0).max(10_000).default(0),
  pageSize: z.number().int().min(1).max(100).default(25),
  /**
   * Keyset: only notices after this one in (createdAt, id) order, for walking
   * every result (the Excel export) without offsets. With sort createdAt only.
   */
  after: z.object({ createdAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/), id: z.number().int().positive() }).optional(),
});
export type NoticeSearch = z.input<typeof noticeSearchSchema>;

/**
 * The notices one typed word could mean (SPEC §6). Each branch is an equality
 * (or a prefix) on an indexed column, so a search stays an index lookup on
 * millions of notices; the word is always a bound parameter, never pattern or
 * SQL. Codes match folded on both sides (full-width, lower case, spaces); a
 * phone by its digits; a name by its beginning, with or without its spaces. A shop owns tens of thousands of notices,
 * and a common name thousands: those branches (`pageOf`) may hold only the
 * notices that could reach the page.
 */
function noticesMatching(word: string, pageOf: (condition: SQL) => SQL): SQL {
  const folded = foldCode(word);
  const names = nameForms(word);
  // Stored codes folded too (db/fold-code.ts, one expression index per column): a waybill sent as `sf123` is found by `SF123`.
  const codes = codeForms(word);
  const code = (column: PgColumn) => (codes.length === 1 ? sql`${foldedCode(column)} = ${folded}` : inArray(foldedCode(column), codes));
  // A shop's code is the retailer's own, stored upper case as its POS configures it: the plain form keeps
  // the branch paging by the (shop_code, created_at) index (one `=` for a code typed upper case).
  const shop = sameCode(notices.shopCode, word, "plain");
  const branches: SQL[] = [
    sql`select ${notices.id} from ${notices} where ${code(notices.dispatchNo)}`,
    sql`select ${notices.id} from ${notices} where ${code(notices.purchaseCode)}`,
    sql`select ${notices.id} from ${notices} where ${code(notices.memberCode)}`,
    pageOf(names.length === 1 ? eq(notices.receiver, word) : inArray(notices.receiver, names)),
    sql`select ${notices.id} from ${notices} where ${notices.phone} = ${word}`,
    pageOf(shop),
    sql`select ${transfers.noticeId} from ${transfers} where ${code(transfers.transferCode)}`,
    sql`select ${packages.noticeId} from ${packages} where ${code(packages.waybillCode)}`,
    sql`select ${waybillChanges.noticeId} from ${waybillChanges} where ${code(waybillChanges.oldWaybillCode)}`,
    sql`select ${waybillChanges.noticeId} from ${waybillChanges} where ${code(waybillChanges.newWaybillCode)}`,
    sql`select ${pieces.noticeId} from ${pieces} where ${code(pieces.sn)}`,
    sql`select ${noticeReturns.noticeId} from ${noticeReturns} where ${code(noticeReturns.sn)}`,
    sql`select ${noticeReturns.noticeId} from ${noticeReturns} where ${code(noticeReturns.waybillCode)}`,
  ];
  const digits = searchablePhone(word);
  if (digits) branches.push(sql`select ${notices.id} from ${notices} where ${notices.phoneDigits} = ${digits}`);
  // Customers quote the last four digits of their phone.
  if (/^\d{4}$/.test(folded)) branches.push(sql`select ${notices.id} from ${notices} where ${notices.phoneTail} = ${folded}`);
  // A name by its beginning (the text_pattern_ops index); only words with letters can start a name.
  if (/\p{L}/u.test(word)) for (const name of names) branches.push(pageOf(sql`${notices.receiver} like ${likePrefix(name)}`));
  return sql`${notices.id} in (${sql.join(branches, sql` union `)})`;
}

const likePrefix = (word: string) => `${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

// Spelled out: drizzle leaves columns unqualified in a select list, where a bare
// "id" inside these subqueries would mean the inner table's own id.
const outerNoticeId = sql.raw(`"notices"."id"`);
const openAnomalies = sql<number>`(select count(*)::int from ${anomalies} where ${anomalies.noticeId} = ${outerNoticeId} and ${anomalies.resolvedAt} is null)`;
const problemDeliveries = sql<number>`(select count(*)::int from ${deliveries} where ${deliveries.noticeId} = ${outerNoticeId} and ${deliveries.state} in ('rejected', 'timed_out'))`;
const pendingDeliveries = sql<number>`(select count(*)::int from ${deliveries} where ${deliveries.noticeId} = ${outerNoticeId} and ${deliveries.state} = 'pending')`;

/** created_at in UTC to the microsecond, the keyset cursor's half. */
export const createdAtExact = sql<string>`to_char(${notices.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const SORT_COLUMNS = {
  createdAt: notices.createdAt,
  updatedAt: notices.updatedAt,
  dispatchNo: notices.dispatchNo,
  status: notices.status,
};

/** Newest first by default; ties broken by id so pages never overlap. The (…, created_at) indexes are walked backwards for `desc`. */
function pageOrder(sort: keyof typeof SORT_COLUMNS, dir: "asc" | "desc"): SQL[] {
  return [sql`${SORT_COLUMNS[sort]} ${sql.raw(dir)}`, sql`${notices.id} ${sql.raw(dir)}`];
}

/** The keyset condition for `after` (a row comparison the (created_at, id) order can seek to). */
function afterKey(query: z.output<typeof noticeSearchSchema>): SQL | undefined {
  if (!query.after) return undefined;
  if (query.sort !== "createdAt") throw new HubError("invalid_body", "after 只能与按创建时间排序同用 (after needs sort createdAt)");
  const key = sql`(${notices.createdAt}, ${notices.id})`;
  // The instant to the microsecond, as text (a JS Date keeps milliseconds only and would skip rows).
  const at = sql`(${query.after.createdAt}::timestamptz, ${query.after.id}::bigint)`;
  return query.dir === "desc" ? sql`${key} < ${at}` : sql`${key} > ${at}`;
}

/**
 * The notices a search means: the term's words (each must match some key)
 * under the filters. `branchLimit` is how many rows a shop or name branch may
 * yield (in page order) when the term is one word — a shop holds tens of
 * thousands of notices and only the first few can reach a page or a bound.
 */
function searchCondition(query: z.output<typeof noticeSearchSchema>, branchLimit: number): { where: SQL | undefined; words: string[]; whole: string } {
  const filters = and(
    query.status ? eq(notices.status, query.status) : undefined,
    query.kind ? eq(notices.kind, query.kind) : undefined,
    // The shop filter, typed as the search word may be (`s001`): folded like the word's shop branch.
    query.shopCode ? sameCode(notices.shopCode, query.shopCode, "plain") : undefined,
    query.createdFrom ? gte(notices.createdAt, query.createdFrom) : undefined,
    query.createdTo ? lt(notices.createdAt, query.createdTo) : undefined,
    query.hasAnomalies === undefined ? undefined : query.hasAnomalies ? sql`${openAnomalies} > 0` : sql`${openAnomalies} = 0`,
    afterKey(query),
  );
  const order = pageOrder(query.sort, query.dir);
  // The first notices with `value` in `column` under these filters and this
  // order, as many as reach the page (or the bound): no other can count, and
  // the column's (column, created_at) index yields them without collecting all
  // the others. With several words another word decides, so no branch may stop early.
  const words = query.term ? searchWords(query.term) : [];
  const pageOf =
    words.length === 1
      ? (condition: SQL) => sql`(select ${notices.id} from ${notices} where ${and(condition, filters)} order by ${sql.join(order, sql`, `)} limit ${branchLimit})`
      : (condition: SQL) => sql`select ${notices.id} from ${notices} where ${condition}`;
  // Several words narrow each other: every word must match some key of the
  // notice — unless the whole term is one value ("138 0000 5531", a name with a space).
  const whole = query.term?.normalize("NFKC").trim() ?? "";
  const matching =
    words.length > 1 ? or(noticesMatching(whole, pageOf), and(...words.map((word) => noticesMatching(word, pageOf)))) : words[0] ? noticesMatching(words[0], pageOf) : undefined;
  return { where: and(matching, filters), words, whole };
}

/**
 * How many notices a search finds, counted up to COUNT_BOUND (the pager's
 * "共 N 条" — a common shop code or name must not count a million rows).
 * Takes the search's parameters (page, sort and `after` are ignored); returns { count, more }.
 */
export async function countNoticeMatches(db: Db, params: NoticeSearch): Promise<BoundedCount> {
  const query = noticeSearchSchema.parse({ ...params, page: 0, after: undefined });
  return countUpToBound(db, notices, searchCondition(query, COUNT_BOUND + 1).where);
}

/** One page of notices (one row more is read to know whether another page follows, instead of counting millions). */
export async function searchNotices(db: Db, params: NoticeSearch) {
  const query = noticeSearchSchema.parse(params);
  const order = pageOrder(query.sort, query.dir);
  const { where, words, whole } = searchCondition(query, (query.page + 1) * query.pageSize + 1);
  const rows = await db
    .select({
      id: notices.id,
      dispatchNo: notices.dispatchNo,
      kind: notices.kind,
      status: notices.status,
      shopCode: notices.shopCode,
      purchaseCode: notices.purchaseCode,
      memberCode: notices.memberCode,
      receiver: notices.receiver,
      phone: notices.phone,
      phoneDigits: notices.phoneDigits,
      phoneTail: notices.phoneTail,
      createdAt: notices.createdAt,
      updatedAt: notices.updatedAt,
      createdAtExact,
      openAnomalies,
      problemDeliveries,
      pendingDeliveries,
    })
    .from(notices)
    .where(where)
    .orderBy(...order)
    .limit(query.pageSize + 1)
    .offset(query.page * query.pageSize);
  const page = rows.slice(0, query.pageSize);
  const matches = await matchesOf(db, page, words.length > 1 ? [[whole], words] : [words]);
  return {
    // The full digits stay on the server: lists mask phones.
    rows: page.map(({ phoneDigits: _digits, phoneTail: _tail, createdAtExact: _exact, ...row }) => ({ ...row, matches: matches.get(row.id) ?? [] })),
    hasMore: rows.length > query.pageSize,
    /** Where the next page starts, for `after` (sort createdAt only); null on the last page. */
    next: rows.length > query.pageSize && query.sort === "createdAt" ? { createdAt: page.at(-1)!.createdAtExact, id: page.at(-1)!.id } : null,
    page: query.page,
    pageSize: query.pageSize,
  };
}
