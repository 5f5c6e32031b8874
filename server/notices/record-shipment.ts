import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { notices, transfers } from "@/db/schema/notices";
import { accepted, noticeNotFound, refused, type ApplyResult, type CallContext } from "@/server/notices/apply-result";
import { lockNotice, noticeRef, type LockedNotice } from "@/server/notices/lock-notice";
import {
  decideShipment,
  findGoodsAfterFinal,
  findShipmentAnomalies,
  findShortShipment,
  findSlaBreach,
  statusAfterNoticeShipped,
  statusAfterPackage,
  type AnomalyDraft,
  type NoticeKind,
} from "@/server/notices/rules";
import { loadShipmentState, recordPackages, type ShipmentState } from "@/server/notices/shipment-state";
import type { omsNoticeShipped, omsPackageShipped, posCheckout, ShippedTransfer } from "@/server/contract/messages";

// Built once (db/prepared-in-transaction.ts): the three shipment messages set the same columns (kept when unchanged).
const markShipment = preparedInTransaction("record_shipment", (db) =>
  db
    .update(notices)
    .set({
      status: sql`${sql.placeholder("status")}`,
      shippedAt: sql`${sql.placeholder("shippedAt")}`,
      over24hReason: sql`${sql.placeholder("over24hReason")}`,
      updatedAt: sql`${sql.placeholder("now")}`,
    })
    .where(eq(notices.id, sql.placeholder("id"))),
);

const transferOnNotice = preparedInTransaction("shipment_transfer", (db) =>
  db
    .select({ id: transfers.id })
    .from(transfers)
    .where(and(eq(transfers.noticeId, sql.placeholder("noticeId")), eq(transfers.transferCode, sql.placeholder("transferCode")))),
);

const insertTransfer = preparedInTransaction("shipment_new_transfer", (db) =>
  db
    .insert(transfers)
    .values({
      noticeId: sql.placeholder("noticeId"),
      transferCode: sql.placeholder("transferCode"),
      shipCode: sql.placeholder("shipCode"),
      shipName: sql.placeholder("shipName"),
      express: sql.placeholder("express"),
      waybillCode: sql.placeholder("waybillCode"),
    })
    .returning({ id: transfers.id }),
);

async function recordTransfer(tx: Db, state: ShipmentState, notice: LockedNotice, transfer: ShippedTransfer) {
  const summary = {
    shipCode: transfer.shipCode ?? null,
    shipName: transfer.shipName ?? null,
    express: transfer.express ?? null,
    waybillCode: transfer.waybillCode ?? null,
  };
  const [existing] = await transferOnNotice.run(tx, { noticeId: notice.id, transferCode: transfer.transferCode });
  let transferId = existing?.id;
  if (transferId === undefined) {
    const [created] = await insertTransfer.run(tx, { noticeId: notice.id, transferCode: transfer.transferCode, ...summary });
    transferId = created!.id;
  }
  return recordPackages(
    tx,
    state,
    notice.id,
    transferId,
    transfer.packages.map((pkg) => ({ express: pkg.express, waybillCode: pkg.waybillCode, pieces: pkg.items })),
  );
}

/** Applies shipped transfers to a locked store order; returns the anomalies they bring. */
async function shipTransfers(tx: Db, notice: LockedNotice, shipped: readonly ShippedTransfer[]) {
  const state = await loadShipmentState(tx, notice.id);
  const before = [...state.pieces];
  const incoming = [];
  for (const transfer of shipped) incoming.push(...(await recordTransfer(tx, state, notice, transfer)));
  return { state, anomalies: findShipmentAnomalies({ ordered: state.ordered, alreadyShipped: before, incoming }) };
}

/**
 * Shipments need a notice of the right kind that is not voided; `ship` runs
 * with it locked. Goods arriving after a final state are still recorded, and
 * flagged on the notice (SPEC §4).
 */
async function withNoticeTakingShipment(
  tx: Db,
  dispatchNo: string,
  kind: NoticeKind,
  movement: string,
  ship: (notice: LockedNotice) => Promise<ApplyResult>,
): Promise<ApplyResult> {
  const notice = await lockNotice(tx, dispatchNo, kind);
  if (!notice) return noticeNotFound;
  const decision = decideShipment(notice);
  if (!decision.ok) return refused(decision.msg, noticeRef(notice));
  const afterFinal = findGoodsAfterFinal(notice.status, movement);
  const result = await ship(notice);
  return afterFinal ? { ...result, anomalies: [afterFinal, ...result.anomalies] } : result;
}

/** `oms/delivery/package`: one warehouse shipped its part of a store order. */
export async function recordPackageShipped(
  tx: Db,
  message: z.infer<typeof omsPackageShipped>,
  call: CallContext,
): Promise<ApplyResult> {
  return withNoticeTakingShipment(tx, message.dispatchNO, "store_order", "oms/delivery/package", async (notice) => {
    const { anomalies } = await shipTransfers(tx, notice, [message]);
    await markShipment.run(tx, {
      id: notice.id,
      status: statusAfterPackage(notice.status),
      shippedAt: notice.shippedAt,
      over24hReason: notice.over24hReason,
      now: call.now,
    });
    return accepted(noticeRef(notice), anomalies);
  });
}

/** `oms/delivery/notice`: the OMS is done with a store order: shipped, or oversold when `transfers` is empty. */
export async function recordNoticeShipped(
  tx: Db,
  message: z.infer<typeof omsNoticeShipped>,
  call: CallContext,
): Promise<ApplyResult> {
  return withNoticeTakingShipment(tx, message.dispatchNO, "store_order", "oms/delivery/notice", async (notice) => {
    const { state, anomalies } = await shipTransfers(tx, notice, message.transfers);
    const status = statusAfterNoticeShipped(state.pieces.length);
    const shortages: AnomalyDraft[] = status === "shipped" ? findShortShipment(state.ordered, state.pieces) : [];
    await markShipment.run(tx, {
      id: notice.id,
      status,
      shippedAt: status === "shipped" ? call.now : null,
      over24hReason: notice.over24hReason,
      now: call.now,
    });
    return accepted(noticeRef(notice), [...anomalies, ...shortages]);
  });
}

/** `pos/checkout`: the store shipped a ship-from-store notice. Serials come without SKU. */
export async function recordCheckout(
  tx: Db,
  message: z.infer<typeof posCheckout>,
  call: CallContext,
): Promise<ApplyResult> {
  return withNoticeTakingShipment(tx, message.dispatchNO, "ship_from_store", "pos/checkout", async (notice) => {
    const state = await loadShipmentState(tx, notice.id);
    const before = [...state.pieces];
    const incoming = await recordPackages(
      tx,
      state,
      notice.id,
      null,
      message.packages.map((pkg) => ({
        express: pkg.express,
        waybillCode: pkg.waybillCode,
        pieces: pkg.sns.map((sn) => ({ sn })),
      })),
    );
    const anomalies = findShipmentAnomalies({ ordered: state.ordered, alreadyShipped: before, incoming });
    const breach = findSlaBreach({ pushedAt: notice.createdAt, checkedOutAt: call.now, over24hReason: message.over24hReason });
    if (breach) anomalies.push(breach);

    await markShipment.run(tx, {
      id: notice.id,
      status: "shipped",
      shippedAt: notice.shippedAt ?? call.now,
      over24hReason: message.over24hReason || notice.over24hReason,
      now: call.now,
    });
    return accepted(noticeRef(notice), anomalies);
  });
}
