import { and, asc, eq, inArray, notInArray, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries, deliveryActions, deliveryAttempts } from "@/db/schema/deliveries";
import { exchanges } from "@/db/schema/exchanges";
import { anomalies, noticeItems, noticeReturns, notices, packages, pieces, transfers, waybillChanges } from "@/db/schema/notices";
import { HubError } from "@/server/errors";
import { skuKey } from "@/server/notices/rules";
import { blockingHead } from "@/server/dashboard/list-deliveries";

type Sku = { product: string | null; color: string | null; size: string | null };

/** Ordered / shipped / returned per SKU; pieces without a SKU (store checkout sends serials only) are totalled apart. */
function itemLines(ordered: (Sku & { qtyOrdered: number })[], shipped: Sku[], returned: Sku[]) {
  const lines = new Map<string, { product: string; color: string; size: string; ordered: number; shipped: number; returned: number }>();
  const line = (sku: Sku) => {
    const key = skuKey(sku as { product: string; color: string; size: string });
    let found = lines.get(key);
    if (!found) lines.set(key, (found = { product: sku.product!, color: sku.color!, size: sku.size!, ordered: 0, shipped: 0, returned: 0 }));
    return found;
  };
  const known = (sku: Sku) => sku.product !== null && sku.color !== null && sku.size !== null;
  for (const item of ordered) line(item).ordered += item.qtyOrdered;
  for (const piece of shipped.filter(known)) line(piece).shipped += 1;
  for (const piece of returned.filter(known)) line(piece).returned += 1;
  return {
    lines: [...lines.values()],
    shippedWithoutSku: shipped.filter((piece) => !known(piece)).length,
    returnedWithoutSku: returned.filter((piece) => !known(piece)).length,
  };
}

const text = (value: unknown) => JSON.stringify(value);

/** Outcomes of calls the hub refused (401/403/400/413…): logged, never part of a notice's story. */
export const REFUSED_OUTCOMES = ["invalid", "unauthorized"] as const;

/** Everything about one notice, and one timeline of inbound calls, deliveries (with attempts) and manual actions. */
export async function getNoticeStory(db: Db, id: number) {
  const [notice] = await db.select().from(notices).where(eq(notices.id, id));
  if (!notice) throw new HubError("not_found", `通知单不存在 (no notice #${id})`);

  const [items, transferRows, packageRows, pieceRows, returns, changes, anomalyRows, inbound, deliveryRows] = await Promise.all([
    db.select().from(noticeItems).where(eq(noticeItems.noticeId, id)).orderBy(asc(noticeItems.product), asc(noticeItems.color), asc(noticeItems.size)),
    db.select().from(transfers).where(eq(transfers.noticeId, id)).orderBy(asc(transfers.id)),
    db.select().from(packages).where(eq(packages.noticeId, id)).orderBy(asc(packages.id)),
    db.select().from(pieces).where(eq(pieces.noticeId, id)).orderBy(asc(pieces.id)),
    db.select().from(noticeReturns).where(eq(noticeReturns.noticeId, id)).orderBy(asc(noticeReturns.id)),
    db.select().from(waybillChanges).where(eq(waybillChanges.noticeId, id)).orderBy(asc(waybillChanges.id)),
    db.select().from(anomalies).where(eq(anomalies.noticeId, id)).orderBy(asc(anomalies.id)),
    // Authenticated calls that named the notice before it existed (通知单不存在) carry its dispatchNo
    // without its id. Refused calls never join the story (SPEC §10: anyone can name a notice); rows
    // logged before refused calls lost their dispatchNo are left out by outcome.
    db
      .select()
      .from(exchanges)
      .where(and(or(eq(exchanges.noticeId, id), eq(exchanges.dispatchNo, notice.dispatchNo)), notInArray(exchanges.outcome, [...REFUSED_OUTCOMES])))
      .orderBy(asc(exchanges.receivedAt)),
    db.select({ delivery: deliveries, blockedBy: blockingHead }).from(deliveries).where(eq(deliveries.noticeId, id)).orderBy(asc(deliveries.id)),
  ]);
  const deliveryIds = deliveryRows.map((row) => row.delivery.id);
  const [attempts, actions] = deliveryIds.length
    ? await Promise.all([
        db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, deliveryIds)).orderBy(asc(deliveryAttempts.attemptNo)),
        db.select().from(deliveryActions).where(inArray(deliveryActions.deliveryId, deliveryIds)).orderBy(asc(deliveryActions.createdAt)),
      ])
    : [[], []];

  const packageView = (pkg: (typeof packageRows)[number]) => ({
    ...pkg,
    pieces: pieceRows.filter((piece) => piece.packageId === pkg.id),
    changes: changes.filter((change) => change.packageId === pkg.id),
  });

  const timeline = [
    ...inbound.map((exchange) => ({
      type: "exchange" as const,
      at: exchange.receivedAt,
      key: `exchange-${exchange.id}`,
      exchange: { ...exchange, headers: text(exchange.headers), responseBody: text(exchange.responseBody) },
    })),
    ...deliveryRows.map(({ delivery, blockedBy }) => ({
      type: "delivery" as const,
      at: delivery.createdAt,
      key: `delivery-${delivery.id}`,
      delivery: { ...delivery, blockedBy },
      attempts: attempts.filter((attempt) => attempt.deliveryId === delivery.id),
    })),
    ...actions.map((action) => ({ type: "action" as const, at: action.createdAt, key: `action-${action.id}`, action })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());

  return {
    notice,
    items: itemLines(items, pieceRows, returns),
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
    deliveries: deliveryRows.map(({ delivery, blockedBy }) => ({ ...delivery, blockedBy })),
    timeline,
  };
}
export type NoticeStory = Awaited<ReturnType<typeof getNoticeStory>>;
