import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { noticeReturns, notices, waybillChanges } from "@/db/schema/notices";
import { useTestDatabase } from "../database";
import { callPartner } from "../partner-client";
import { anomaliesOfExchange, deliveriesOfExchange, exchangesWithBody, noticeState } from "./hub-state";
import {
  checkout,
  line,
  packageShipped,
  piece,
  shipFromStoreOrder,
  SKU_A,
  SKU_B,
  SKU_C,
  storeOrder,
  storeRefund,
  transfer,
  uniqueCode,
  waybillChange,
} from "./messages";

// SPEC §4: goods that moved are accepted whatever they look like; what does
// not add up is flagged for ops, on the notice and on the call that brought it.

const database = useTestDatabase();
const accepted = { status: 200, body: { success: true } };

const parcel = (...items: ReturnType<typeof piece>[]) => ({ waybillCode: uniqueCode("WB"), items });

async function shipPackage(dn: string, transferCode: string, ...items: ReturnType<typeof piece>[]) {
  const message = packageShipped(dn, transfer(transferCode, "WH01", [parcel(...items)]));
  expect(await callPartner("/oms/delivery/package", message)).toEqual(accepted);
  return message;
}

async function placeStoreOrder(items = [line(SKU_A, 2), line(SKU_B, 1)]) {
  const order = storeOrder({ items });
  expect(await callPartner("/pos/ordermake", order)).toEqual(accepted);
  return order.dispatchNO;
}

const flagged = async (dn: string) =>
  (await noticeState(database.db, dn))!.anomalies.map((a) => [a.kind, a.data]);

test("more pieces of a SKU than ordered, across packages: over-shipped, all pieces kept", async () => {
  const dn = await placeStoreOrder([line(SKU_A, 1)]);
  await shipPackage(dn, "T1", piece(SKU_A));
  const second = await shipPackage(dn, "T2", piece(SKU_A));

  expect(await flagged(dn)).toEqual([["over_shipped", { ...SKU_A, ordered: 1, shipped: 2 }]]);
  const state = await noticeState(database.db, dn);
  expect(state?.pieces).toHaveLength(2);
  const [call] = await exchangesWithBody(database.db, JSON.stringify(second));
  expect(state?.anomalies[0]?.exchangeId).toBe(call?.id);
});

test("a serial shipped by two warehouses: duplicate serial", async () => {
  const dn = await placeStoreOrder();
  const sn = uniqueCode("SN");
  await shipPackage(dn, "T1", piece(SKU_A, sn));
  await shipPackage(dn, "T2", piece(SKU_B, sn));
  expect(await flagged(dn)).toEqual([["duplicate_serial", { sn }]]);
});

test("a serial twice in one message: duplicate serial, flagged once", async () => {
  const dn = await placeStoreOrder();
  const sn = uniqueCode("SN");
  await shipPackage(dn, "T1", piece(SKU_A, sn), piece(SKU_A, sn));
  expect(await flagged(dn)).toEqual([["duplicate_serial", { sn }]]);
  expect((await noticeState(database.db, dn))?.pieces).toHaveLength(2);
});

test("a SKU that was never ordered: flagged, still recorded", async () => {
  const dn = await placeStoreOrder();
  await shipPackage(dn, "T1", piece(SKU_C));
  expect(await flagged(dn)).toEqual([["sku_not_ordered", { ...SKU_C, shipped: 1 }]]);
  expect((await noticeState(database.db, dn))?.pieces.map((p) => p.product)).toEqual([SKU_C.product]);
});

test("a checkout with more serials than pieces ordered, one of them twice: over-shipped and duplicate", async () => {
  const order = shipFromStoreOrder();
  await callPartner("/oms/pushorder", order);
  const sn = uniqueCode("SN");
  const sns = [sn, sn, uniqueCode("SN")];
  expect(await callPartner("/pos/checkout", checkout(order.dispatchNO, [{ waybillCode: uniqueCode("WB"), sns }]))).toEqual(
    accepted,
  );
  expect(await flagged(order.dispatchNO)).toEqual([
    ["duplicate_serial", { sn }],
    ["over_shipped", { ordered: 2, shipped: 3 }],
  ]);
  expect((await noticeState(database.db, order.dispatchNO))?.notice.status).toBe("shipped");
});

async function pushedHoursAgo(hours: number) {
  const order = shipFromStoreOrder();
  await callPartner("/oms/pushorder", order);
  await database.db
    .update(notices)
    .set({ createdAt: new Date(Date.now() - hours * 3_600_000) })
    .where(eq(notices.dispatchNo, order.dispatchNO));
  return order.dispatchNO;
}

const shipAll = (dn: string, over24hReason?: string) =>
  callPartner("/pos/checkout", checkout(dn, [{ waybillCode: uniqueCode("WB"), sns: [uniqueCode("SN"), uniqueCode("SN")] }], over24hReason));

test("checkout 25 h after the push with an empty over24hReason: accepted, flagged as an SLA breach", async () => {
  const dn = await pushedHoursAgo(25);
  expect(await shipAll(dn, "")).toEqual(accepted);
  const found = (await noticeState(database.db, dn))!.anomalies;
  expect(found.map((a) => a.kind)).toEqual(["sla_breach"]);
  expect(found[0]?.data).toEqual({ hours: 25 });
});

test("checkout 25 h after the push with a reason: no breach, the reason is kept", async () => {
  const dn = await pushedHoursAgo(25);
  expect(await shipAll(dn, "台风停运")).toEqual(accepted);
  const state = await noticeState(database.db, dn);
  expect(state?.anomalies).toEqual([]);
  expect(state?.notice.over24hReason).toBe("台风停运");
});

test("checkout 23 h after the push without a reason: no breach", async () => {
  const dn = await pushedHoursAgo(23);
  expect(await shipAll(dn, "")).toEqual(accepted);
  expect(await flagged(dn)).toEqual([]);
});

test("a store return of a serial no notice shipped: accepted, forwarded and flagged without a notice", async () => {
  const refund = storeRefund(uniqueCode("SN"));
  expect(await callPartner("/pos/refund", refund)).toEqual(accepted);

  const [call] = await exchangesWithBody(database.db, JSON.stringify(refund));
  expect(call).toMatchObject({ outcome: "accepted", noticeId: null });
  const returns = await database.db.select().from(noticeReturns).where(eq(noticeReturns.exchangeId, call!.id));
  expect(returns).toEqual([expect.objectContaining({ noticeId: null, shopCode: "S002", sn: refund.sn })]);
  expect((await anomaliesOfExchange(database.db, call!.id)).map((a) => [a.kind, a.noticeId, a.data])).toEqual([
    ["unmatched_return", null, { sn: refund.sn }],
  ]);
  expect((await deliveriesOfExchange(database.db, call!.id)).map((d) => [d.target, d.path, d.orderKey])).toEqual([
    ["oms", "/pos/refund", null],
  ]);
});

test("a warehouse waybill change for a waybill no parcel has: accepted, forwarded and flagged without a notice", async () => {
  const change = waybillChange(uniqueCode("WB"));
  expect(await callPartner("/oms/delivery/waybillchange", change)).toEqual(accepted);

  const [call] = await exchangesWithBody(database.db, JSON.stringify(change));
  expect(call).toMatchObject({ outcome: "accepted", noticeId: null });
  const changes = await database.db.select().from(waybillChanges).where(eq(waybillChanges.exchangeId, call!.id));
  expect(changes).toEqual([
    expect.objectContaining({ noticeId: null, packageId: null, oldWaybillCode: change.targetbillCode, newWaybillCode: change.waybillCode }),
  ]);
  expect((await anomaliesOfExchange(database.db, call!.id)).map((a) => [a.kind, a.noticeId])).toEqual([
    ["unmatched_waybill", null],
  ]);
  expect((await deliveriesOfExchange(database.db, call!.id)).map((d) => [d.target, d.path, d.orderKey])).toEqual([
    ["pos", "/oms/delivery/waybillchange", null],
  ]);
});
