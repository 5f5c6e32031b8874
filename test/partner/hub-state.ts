import { asc, count, eq, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { exchanges } from "@/db/schema/exchanges";
import {
  anomalies,
  noticeItems,
  noticeReturns,
  notices,
  packages,
  pieces,
  transfers,
  waybillChanges,
} from "@/db/schema/notices";

// What the hub stored, read straight from the tables: the tests check the
// database, not only the answer.

/** Everything recorded about one notice, or null when there is no such notice. */
export async function noticeState(db: Db, dispatchNo: string) {
  const [notice] = await db.select().from(notices).where(eq(notices.dispatchNo, dispatchNo));
  if (!notice) return null;
  return {
    notice,
    items: await db.select().from(noticeItems).where(eq(noticeItems.noticeId, notice.id)).orderBy(asc(noticeItems.product)),
    transfers: await db.select().from(transfers).where(eq(transfers.noticeId, notice.id)).orderBy(asc(transfers.id)),
    packages: await db.select().from(packages).where(eq(packages.noticeId, notice.id)).orderBy(asc(packages.id)),
    pieces: await db.select().from(pieces).where(eq(pieces.noticeId, notice.id)).orderBy(asc(pieces.id)),
    returns: await db.select().from(noticeReturns).where(eq(noticeReturns.noticeId, notice.id)).orderBy(asc(noticeReturns.id)),
    waybillChanges: await db.select().from(waybillChanges).where(eq(waybillChanges.noticeId, notice.id)).orderBy(asc(waybillChanges.id)),
    anomalies: await db.select().from(anomalies).where(eq(anomalies.noticeId, notice.id)).orderBy(asc(anomalies.id)),
  };
}

export const exchangesOf = (db: Db, dispatchNo: string) =>
  db.select().from(exchanges).where(eq(exchanges.dispatchNo, dispatchNo)).orderBy(asc(exchanges.id));

/** The calls logged with exactly this request body (as stored: refused bodies are cut at 4 KiB). */
export const exchangesWithBody = (db: Db, requestBody: string) =>
  db.select().from(exchanges).where(eq(exchanges.requestBody, requestBody)).orderBy(asc(exchanges.id));

export const deliveriesOf = (db: Db, dispatchNo: string) =>
  db.select().from(deliveries).where(eq(deliveries.orderKey, dispatchNo)).orderBy(asc(deliveries.id));

export const deliveriesOfExchange = (db: Db, exchangeId: string) =>
  db.select().from(deliveries).where(eq(deliveries.exchangeId, exchangeId));

export const anomaliesOfExchange = (db: Db, exchangeId: string) =>
  db.select().from(anomalies).where(eq(anomalies.exchangeId, exchangeId)).orderBy(asc(anomalies.id));

export async function countRows(db: Db, table: PgTable, where?: SQL) {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return row!.n;
}
