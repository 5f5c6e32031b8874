import { expect, test } from "vitest";
import { useTestDatabase } from "../database";
import { callPartner } from "../partner-client";
import { deliveriesOf, exchangesOf, noticeState } from "./hub-state";
import { checkout, shipFromStoreOrder, storeRefund, uniqueCode, waybillChange } from "./messages";

// 门店发货篇: the OMS asks a store to ship an online order; the store ships it
// (checkout with parcels and serials), refuses it, or receives it back.

const database = useTestDatabase();
const accepted = { status: 200, body: { success: true } };

test("pushed, checked out in two parcels, returned by serial at a store, re-labelled", async () => {
  const order = shipFromStoreOrder();
  const dn = order.dispatchNO;
  expect(await callPartner("/oms/pushorder", order)).toEqual(accepted);

  let state = await noticeState(database.db, dn);
  expect(state?.notice).toMatchObject({
    kind: "ship_from_store",
    status: "pending",
    shopCode: "S002",
    purchaseCode: order.purchaseNumber,
    preferredExpress: "SF",
    phoneTail: "1234",
  });
  expect(state?.items.map(({ product, color, size, qtyOrdered }) => [product, color, size, qtyOrdered])).toEqual([
    ["G1001", "C01", "M", 1],
    ["G1002", "C02", "L", 1],
  ]);

  const [sn1, sn2] = [uniqueCode("SN"), uniqueCode("SN")];
  const [w1, w2] = [uniqueCode("WB"), uniqueCode("WB")];
  const shipped = checkout(dn, [
    { waybillCode: w1, sns: [sn1] },
    { waybillCode: w2, sns: [sn2] },
  ]);
  expect(await callPartner("/pos/checkout", shipped)).toEqual(accepted);

  state = await noticeState(database.db, dn);
  expect(state?.notice.status).toBe("shipped");
  expect(state?.notice.shippedAt).toBeInstanceOf(Date);
  expect(state?.transfers).toEqual([]);
  expect(state?.packages.map((p) => [p.transferId, p.express, p.waybillCode])).toEqual([
    [null, "ZTO", w1],
    [null, "ZTO", w2],
  ]);
  expect(state?.pieces.map((p) => [p.packageId, p.sn, p.product])).toEqual([
    [state!.packages[0]!.id, sn1, null],
    [state!.packages[1]!.id, sn2, null],
  ]);
  expect(state?.anomalies).toEqual([]);

  // The store names the returned piece by serial only: no dispatchNO in this message.
  const refund = storeRefund(sn2);
  expect(await callPartner("/pos/refund", refund)).toEqual(accepted);
  state = await noticeState(database.db, dn);
  expect(state?.returns).toEqual([
    expect.objectContaining({ shopCode: "S002", sn: sn2, waybillCode: refund.waybillCode, express: "ZTO" }),
  ]);

  const change = { dispatchNO: dn, ...waybillChange(w1) };
  expect(await callPartner("/pos/delivery/waybillchange", change)).toEqual(accepted);
  state = await noticeState(database.db, dn);
  expect(state?.packages[0]).toMatchObject({ waybillCode: change.waybillCode, express: "JD" });
  expect(state?.waybillChanges).toEqual([
    expect.objectContaining({ packageId: state!.packages[0]!.id, oldWaybillCode: w1, newWaybillCode: change.waybillCode }),
  ]);
  expect(state?.anomalies).toEqual([]);

  const calls = await exchangesOf(database.db, dn);
  expect(calls.map((c) => [c.path, c.outcome, c.noticeId]).sort()).toEqual(
    [
      ["/oms/pushorder", "accepted", state!.notice.id],
      ["/pos/checkout", "accepted", state!.notice.id],
      ["/pos/refund", "accepted", state!.notice.id],
      ["/pos/delivery/waybillchange", "accepted", state!.notice.id],
    ].sort(),
  );
  expect((await deliveriesOf(database.db, dn)).map((d) => [d.target, d.path])).toEqual([
    ["pos", "/oms/pushorder"],
    ["oms", "/pos/checkout"],
    ["oms", "/pos/refund"],
    ["oms", "/pos/delivery/waybillchange"],
  ]);
});

test("purchaseNumber is optional (the seed asks whether it is needed)", async () => {
  const { purchaseNumber: _, ...order } = shipFromStoreOrder();
  expect(await callPartner("/oms/pushorder", order)).toEqual(accepted);
  expect((await noticeState(database.db, order.dispatchNO))?.notice.purchaseCode).toBeNull();
});

test("a checkout within 24 h keeps the reason the store gave anyway", async () => {
  const order = shipFromStoreOrder();
  await callPartner("/oms/pushorder", order);
  const shipped = checkout(order.dispatchNO, [{ waybillCode: uniqueCode("WB"), sns: [uniqueCode("SN")] }], "顾客改约");
  expect(await callPartner("/pos/checkout", shipped)).toEqual(accepted);
  const state = await noticeState(database.db, order.dispatchNO);
  expect(state?.notice.over24hReason).toBe("顾客改约");
  expect(state?.anomalies).toEqual([]);
});

test("the store refuses a notice it cannot fulfil (退单)", async () => {
  const order = shipFromStoreOrder();
  await callPartner("/oms/pushorder", order);
  expect(await callPartner("/pos/refuse", { dispatchNO: order.dispatchNO, reason: "门店缺货" })).toEqual(accepted);

  const state = await noticeState(database.db, order.dispatchNO);
  expect(state?.notice).toMatchObject({ status: "refused", refuseReason: "门店缺货" });
  expect(state?.notice.refusedAt).toBeInstanceOf(Date);
  expect((await deliveriesOf(database.db, order.dispatchNO)).map((d) => [d.target, d.path])).toEqual([
    ["pos", "/oms/pushorder"],
    ["oms", "/pos/refuse"],
  ]);
});

test("the OMS voids a notice the store has not shipped", async () => {
  const order = shipFromStoreOrder();
  await callPartner("/oms/pushorder", order);
  expect(await callPartner("/oms/orderremove", { dispatchNO: order.dispatchNO, shopCode: "S002" })).toEqual(accepted);

  const state = await noticeState(database.db, order.dispatchNO);
  expect(state?.notice.status).toBe("voided");
  expect(state?.notice.voidedAt).toBeInstanceOf(Date);
});

test("a store re-labelling a waybill the notice does not have is recorded and flagged", async () => {
  const order = shipFromStoreOrder();
  await callPartner("/oms/pushorder", order);
  await callPartner("/pos/checkout", checkout(order.dispatchNO, [{ waybillCode: uniqueCode("WB"), sns: [uniqueCode("SN")] }]));
  const unknownWaybill = uniqueCode("WB");
  expect(await callPartner("/pos/delivery/waybillchange", { dispatchNO: order.dispatchNO, ...waybillChange(unknownWaybill) })).toEqual(
    accepted,
  );

  const state = await noticeState(database.db, order.dispatchNO);
  expect(state?.waybillChanges).toEqual([expect.objectContaining({ packageId: null, oldWaybillCode: unknownWaybill })]);
  expect(state?.anomalies.map((a) => [a.kind, a.data])).toEqual([["unmatched_waybill", { targetbillCode: unknownWaybill }]]);
});
