import { and, asc, count, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { anomalies, noticeItems, noticeReturns, notices, packages, pieces, transfers, waybillChanges } from "@/db/schema/notices";
import { HubError } from "@/server/errors";
import type { Sku } from "@/server/notices/rules";
import { serialLines, type SerialPiece } from "@/server/notices/serial-lines";

/**
 * SKUs other messages gave the serials that arrived bare (a store checkout
 * sends serials only): a warehouse package or an OMS receive naming the same
 * serial with product / color / size, on any notice. Serial → SKU.
 */
async function skusOfSerials(db: Db, serials: string[]): Promise<Map<string, Sku>> {
  const found = new Map<string, Sku>();
  if (serials.length === 0) return found;
  const known = (table: typeof pieces | typeof noticeReturns) =>
    db
      .select({ sn: table.sn, product: table.product, color: table.color, size: table.size })
      .from(table)
      .where(and(inArray(table.sn, serials), isNotNull(table.product), isNotNull(table.color), isNotNull(table.size)))
      .limit(serials.length * 4);
  for (const row of [...(await known(pieces)), ...(await known(noticeReturns))]) {
    if (row.sn && !found.has(row.sn)) found.set(row.sn, { product: row.product!, color: row.color!, size: row.size! });
  }
  return found;
}

const text = (value: unknown) => JSON.stringify(value);

/**
 * Everything about one notice: items, warehouses → packages → serials, returns,
 * anomalies, and its deliveries counted by state. Its timeline of calls is paged
 * apart (list-notice-timeline.ts): a notice may have thousands of calls.
 */
export async function getNoticeStory(db: Db, id: number) {
  const [notice] = await db.select().from(notices).where(eq(notices.id, id));
  if (!notice) throw new HubError("not_found", `通知单不存在 (no notice #${id})`);

  const [items, transferRows, packageRows, pieceRows, returns, changes, anomalyRows, deliveryStates] = await Promise.all([
    db.select().from(noticeItems).where(eq(noticeItems.noticeId, id)).orderBy(asc(noticeItems.product), asc(noticeItems.color), asc(noticeItems.size)),
    db.select().from(transfers).where(eq(transfers.noticeId, id)).orderBy(asc(transfers.id)),
    db.select().from(packages).where(eq(packages.noticeId, id)).orderBy(asc(packages.id)),
    db.select().from(pieces).where(eq(pieces.noticeId, id)).orderBy(asc(pieces.id)),
    db.select().from(noticeReturns).where(eq(noticeReturns.noticeId, id)).orderBy(asc(noticeReturns.id)),
    db.select().from(waybillChanges).where(eq(waybillChanges.noticeId, id)).orderBy(asc(waybillChanges.id)),
    db.select().from(anomalies).where(eq(anomalies.noticeId, id)).orderBy(asc(anomalies.id)),
    // Counted, not listed: a notice may have thousands; the timeline pages through them.
    db.select({ state: deliveries.state, count: count() }).from(deliveries).where(eq(deliveries.noticeId, id)).groupBy(deliveries.state),
  ]);
  const bareSerials = (...lists: SerialPiece[][]) => [...new Set(lists.flat().flatMap((piece) => (piece.sn && piece.product === null ? [piece.sn] : [])))];

  const packageView = (pkg: (typeof packageRows)[number]) => ({
    ...pkg,
    pieces: pieceRows.filter((piece) => piece.packageId === pkg.id),
    changes: changes.filter((change) => change.packageId === pkg.id),
  });

  return {
    notice,
    items: serialLines({ ordered: items, shipped: pieceRows, returned: returns, skuBySerial: await skusOfSerials(db, bareSerials(pieceRows, returns)) }),
    transfers: transferRows.map((transfer) => ({
      ...transfer,
      packages: packageRows.filter((pkg) => pkg.transferId === transfer.id).map(packageView),
    })),
    // Ship-from-store checkout parcels belong to no warehouse transfer.
    storePackages: packageRows.filter((pkg) => pkg.transferId === null).map(packageView),
    // A stale change (SPEC §4) is on its notice but applied to no parcel; its anomaly says so.
    unmatchedChanges: changes
      .filter((change) => change.packageId === null)
      .map((change) => ({
        ...change,
        stale: anomalyRows.some((anomaly) => anomaly.kind === "stale_waybill_change" && anomaly.exchangeId === change.exchangeId),
      })),
    returns,
    anomalies: anomalyRows.map((anomaly) => ({ ...anomaly, data: anomaly.data === null ? null : text(anomaly.data) })),
    /** How many of the notice's deliveries are in each state (pending, delivered, rejected …). */
    deliveryStates: Object.fromEntries(deliveryStates.map((row) => [row.state, row.count])) as Partial<Record<(typeof deliveries.state.enumValues)[number], number>>,
  };
}
export type NoticeStory = Awaited<ReturnType<typeof getNoticeStory>>;
