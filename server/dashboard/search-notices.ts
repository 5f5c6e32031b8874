import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import { safeDate, safeText } from "@/server/api/input-guard";
import type { Db } from "@/db/client";
import { anomalies, noticeKind, noticeReturns, notices, noticeStatus, packages, pieces, transfers, waybillChanges } from "@/db/schema/notices";
import { deliveries } from "@/db/schema/deliveries";

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
});
export type NoticeSearch = z.input<typeof noticeSearchSchema>;

/**
 * The notices a quoted term could mean. Each branch is an equality on an
 * indexed column, so a search stays an index lookup on millions of notices;
 * the term is always a bound parameter, never pattern or SQL. A shop owns tens
 * of thousands of notices, and a common name thousands: those two branches
 * (`pageOf`) hold only the notices that could reach the page.
 */
function noticesMatching(term: string, pageOf: (column: PgColumn, value: string) => SQL): SQL {
  const branches: SQL[] = [
    sql`select ${notices.id} from ${notices} where ${notices.dispatchNo} = ${term}`,
    sql`select ${notices.id} from ${notices} where ${notices.purchaseCode} = ${term}`,
    sql`select ${notices.id} from ${notices} where ${notices.memberCode} = ${term}`,
    pageOf(notices.receiver, term),
    sql`select ${notices.id} from ${notices} where ${notices.phone} = ${term}`,
    pageOf(notices.shopCode, term),
    sql`select ${transfers.noticeId} from ${transfers} where ${transfers.transferCode} = ${term}`,
    sql`select ${packages.noticeId} from ${packages} where ${packages.waybillCode} = ${term}`,
    sql`select ${waybillChanges.noticeId} from ${waybillChanges} where ${waybillChanges.oldWaybillCode} = ${term}`,
    sql`select ${waybillChanges.noticeId} from ${waybillChanges} where ${waybillChanges.newWaybillCode} = ${term}`,
    sql`select ${pieces.noticeId} from ${pieces} where ${pieces.sn} = ${term}`,
    sql`select ${noticeReturns.noticeId} from ${noticeReturns} where ${noticeReturns.sn} = ${term}`,
    sql`select ${noticeReturns.noticeId} from ${noticeReturns} where ${noticeReturns.waybillCode} = ${term}`,
  ];
  // Customers quote the last four digits of their phone.
  if (/^\d{4}$/.test(term)) branches.push(sql`select ${notices.id} from ${notices} where ${notices.phoneTail} = ${term}`);
  return sql`${notices.id} in (${sql.join(branches, sql` union `)})`;
}

// Spelled out: drizzle leaves columns unqualified in a select list, where a bare
// "id" inside these subqueries would mean the inner table's own id.
const outerNoticeId = sql.raw(`"notices"."id"`);
const openAnomalies = sql<number>`(select count(*)::int from ${anomalies} where ${anomalies.noticeId} = ${outerNoticeId} and ${anomalies.resolvedAt} is null)`;
const problemDeliveries = sql<number>`(select count(*)::int from ${deliveries} where ${deliveries.noticeId} = ${outerNoticeId} and ${deliveries.state} in ('rejected', 'timed_out'))`;
const pendingDeliveries = sql<number>`(select count(*)::int from ${deliveries} where ${deliveries.noticeId} = ${outerNoticeId} and ${deliveries.state} = 'pending')`;

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

/** One page of notices (one row more is read to know whether another page follows, instead of counting millions). */
export async function searchNotices(db: Db, params: NoticeSearch) {
  const query = noticeSearchSchema.parse(params);
  const filters = and(
    query.status ? eq(notices.status, query.status) : undefined,
    query.kind ? eq(notices.kind, query.kind) : undefined,
    query.shopCode ? eq(notices.shopCode, query.shopCode) : undefined,
    query.createdFrom ? gte(notices.createdAt, query.createdFrom) : undefined,
    query.createdTo ? lt(notices.createdAt, query.createdTo) : undefined,
    query.hasAnomalies === undefined ? undefined : query.hasAnomalies ? sql`${openAnomalies} > 0` : sql`${openAnomalies} = 0`,
  );
  const order = pageOrder(query.sort, query.dir);
  // The first notices with `value` in `column` under this page's filters and
  // order, as many as reach the page: no other can be on it, and the column's
  // (column, created_at) index yields them without collecting all the others.
  const pageOf = (column: PgColumn, value: string) =>
    sql`(select ${notices.id} from ${notices} where ${and(eq(column, value), filters)} order by ${sql.join(order, sql`, `)} limit ${(query.page + 1) * query.pageSize + 1})`;
  const where = and(query.term ? noticesMatching(query.term, pageOf) : undefined, filters);
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
      createdAt: notices.createdAt,
      updatedAt: notices.updatedAt,
      openAnomalies,
      problemDeliveries,
      pendingDeliveries,
    })
    .from(notices)
    .where(where)
    .orderBy(...order)
    .limit(query.pageSize + 1)
    .offset(query.page * query.pageSize);
  return { rows: rows.slice(0, query.pageSize), hasMore: rows.length > query.pageSize, page: query.page, pageSize: query.pageSize };
}
