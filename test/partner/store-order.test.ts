import { expect, test } from "vitest";
import { useTestDatabase } from "../database";
import { callPartner } from "../partner-client";
import { deliveriesOf, exchangesOf, noticeState } from "./hub-state";
import {
  line,
  noticeShipped,
  omsReceive,
  packageShipped,
  piece,
  SKU_A,
  SKU_B,
  SKU_C,
  storeOrder,
  transfer,
  uniqueCode,
  waybillChange,
} from "./messages";

// 门店下单篇: a store sells what it has no stock for; the OMS ships it from
// one or more warehouses and reports back per transfer, then once for the notice.

const database = useTestDatabase();
const accepted = { status: 200, body: { success: true } };

test("a store order split over three warehouses, returned in part and re-labelled", async () => {
  const order = storeOrder({ items: [line(SKU_A, 2), line(SKU_B, 1), line(SKU_C, 1)] });
  const dn = order.dispatchNO;
  expect(await callPartner("/pos/ordermake", order)).toEqual(accepted);

  let state = await noticeState(database.db, dn);
  expect(state?.notice).toMatchObject({
    kind: "store_order",
    status: "pending",
    shopCode: "S001",
    purchaseCode: order.purchaseCode,
    memberCode: "M000123",
    receiver: "张三",
    phoneTail: "1234",
  });
  expect(state?.items.map(({ product, qtyOrdered }) => [product, qtyOrdered])).toEqual([
    ["G1001", 2],
    ["G1002", 1],
    ["G1003", 1],
  ]);

  const [a1, a2, b1, c1] = [piece(SKU_A), piece(SKU_A), piece(SKU_B), piece(SKU_C)];
  const [w1, w2, w3] = [uniqueCode("WB"), uniqueCode("WB"), uniqueCode("WB")];
  const t1 = transfer("T1", "WH01", [{ waybillCode: w1, items: [a1, a2] }]);
  const t2 = transfer("T2", "WH02", [{ waybillCode: w2, items: [b1] }]);
  const t3 = transfer("T3", "WH03", [{ waybillCode: w3, items: [c1] }]);

  expect(await callPartner("/oms/delivery/package", packageShipped(dn, t1))).toEqual(accepted);
  state = await noticeState(database.db, dn);
  expect(state?.notice.status).toBe("partially_shipped");
  expect(state?.pieces).toHaveLength(2);

  expect(await callPartner("/oms/delivery/package", packageShipped(dn, t2))).toEqual(accepted);
  expect((await noticeState(database.db, dn))?.notice.status).toBe("partially_shipped");

  // The final message lists every transfer, the two already reported included.
  expect(await callPartner("/oms/delivery/notice", noticeShipped(dn, [t1, t2, t3]))).toEqual(accepted);
  state = await noticeState(database.db, dn);
  expect(state?.notice.status).toBe("shipped");
  expect(state?.notice.shippedAt).toBeInstanceOf(Date);
  expect(state?.transfers.map((t) => [t.transferCode, t.shipCode])).toEqual([
    ["T1", "WH01"],
    ["T2", "WH02"],
    ["T3", "WH03"],
  ]);
  expect(state?.packages.map((p) => p.waybillCode)).toEqual([w1, w2, w3]);
  expect(state?.pieces.map((p) => p.sn)).toEqual([a1.sn, a2.sn, b1.sn, c1.sn]);
  expect(state?.anomalies).toEqual([]);

  expect(await callPartner("/oms/receive", omsReceive(dn, a2, "T1"))).toEqual(accepted);
  state = await noticeState(database.db, dn);
  expect(state?.returns).toEqual([
    expect.objectContaining({ transferCode: "T1", receiverCode: "WH01", product: "G1001", color: "C01", size: "M", sn: a2.sn }),
  ]);

  // The OMS names the parcel by its old waybill only: no dispatchNO in this message.
  const change = waybillChange(w2);
  expect(await callPartner("/oms/delivery/waybillchange", change)).toEqual(accepted);
  state = await noticeState(database.db, dn);
  const relabelled = state!.packages.find((p) => p.transferId === state!.transfers[1]!.id)!;
  expect(relabelled).toMatchObject({ waybillCode: change.waybillCode, express: "JD" });
  expect(state?.waybillChanges).toEqual([
    expect.objectContaining({ packageId: relabelled.id, oldWaybillCode: w2, newWaybillCode: change.waybillCode, newExpress: "JD" }),
  ]);
  expect(state?.anomalies).toEqual([]);

  // Exchange ids are UUIDv7: two calls in one millisecond may sort either way.
  const calls = await exchangesOf(database.db, dn);
  expect(calls.map((c) => [c.path, c.outcome, c.noticeId]).sort()).toEqual([
    ["/pos/ordermake", "accepted", state!.notice.id],
    ["/oms/delivery/package", "accepted", state!.notice.id],
    ["/oms/delivery/package", "accepted", state!.notice.id],
    ["/oms/delivery/notice", "accepted", state!.notice.id],
    ["/oms/receive", "accepted", state!.notice.id],
    ["/oms/delivery/waybillchange", "accepted", state!.notice.id],
  ].sort());
  expect((await deliveriesOf(database.db, dn)).map((d) => [d.target, d.path])).toEqual([
    ["oms", "/pos/ordermake"],
    ["pos", "/oms/delivery/package"],
    ["pos", "/oms/delivery/package"],
    ["pos", "/oms/delivery/notice"],
    ["pos", "/oms/receive"],
    ["pos", "/oms/delivery/waybillchange"],
  ]);
});

test("a re-sent transfer that brings one more parcel adds only that parcel's pieces", async () => {
  const order = storeOrder();
  const dn = order.dispatchNO;
  await callPartner("/pos/ordermake", order);
  const [a1, a2, b1] = [piece(SKU_A), piece(SKU_A), piece(SKU_B)];
  const first = { waybillCode: uniqueCode("WB"), items: [a1] };
  const second = { waybillCode: uniqueCode("WB"), items: [a2, b1] };

  await callPartner("/oms/delivery/package", packageShipped(dn, transfer("T1", "WH01", [first])));
  expect(await callPartner("/oms/delivery/notice", noticeShipped(dn, [transfer("T1", "WH01", [first, second])]))).toEqual(
    accepted,
  );

  const state = await noticeState(database.db, dn);
  expect(state?.notice.status).toBe("shipped");
  expect(state?.transfers).toHaveLength(1);
  expect(state?.packages.map((p) => p.waybillCode)).toEqual([first.waybillCode, second.waybillCode]);
  expect(state?.pieces.map((p) => p.sn)).toEqual([a1.sn, a2.sn, b1.sn]);
  expect(state?.anomalies).toEqual([]);
});

test("a parcel re-labelled before the final message is recognised under its old waybill, not counted twice", async () => {
  const order = storeOrder({ items: [line(SKU_A, 1)] });
  const dn = order.dispatchNO;
  await callPartner("/pos/ordermake", order);
  const parcel = { waybillCode: uniqueCode("WB"), items: [piece(SKU_A)] };
  await callPartner("/oms/delivery/package", packageShipped(dn, transfer("T1", "WH01", [parcel])));
  const relabel = waybillChange(parcel.waybillCode);
  await callPartner("/oms/delivery/waybillchange", relabel);

  expect(await callPartner("/oms/delivery/notice", noticeShipped(dn, [transfer("T1", "WH01", [parcel])]))).toEqual(accepted);
  const state = await noticeState(database.db, dn);
  expect(state?.packages.map((p) => p.waybillCode)).toEqual([relabel.waybillCode]);
  expect(state?.pieces).toHaveLength(1);
  expect(state?.anomalies).toEqual([]);
});

test("the final message straight after the order, with every parcel in it, ships the notice in one go", async () => {
  const order = storeOrder({ items: [line(SKU_A, 1)] });
  await callPartner("/pos/ordermake", order);
  const shipped = transfer("T9", "WH09", [{ waybillCode: uniqueCode("WB"), items: [piece(SKU_A)] }]);
  expect(await callPartner("/oms/delivery/notice", noticeShipped(order.dispatchNO, [shipped]))).toEqual(accepted);
  const state = await noticeState(database.db, order.dispatchNO);
  expect(state?.notice.status).toBe("shipped");
  expect(state?.pieces).toHaveLength(1);
});

test("oversold: the final message with no transfers marks the notice oversold, and the store may then void it", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  expect(await callPartner("/oms/delivery/notice", noticeShipped(order.dispatchNO, []))).toEqual(accepted);

  let state = await noticeState(database.db, order.dispatchNO);
  expect(state?.notice.status).toBe("oversold");
  expect(state?.notice.shippedAt).toBeNull();
  expect(state?.pieces).toEqual([]);
  expect(state?.anomalies).toEqual([]);

  expect(await callPartner("/pos/orderremove", { dispatchNO: order.dispatchNO })).toEqual(accepted);
  state = await noticeState(database.db, order.dispatchNO);
  expect(state?.notice.status).toBe("voided");
  expect(state?.notice.voidedAt).toBeInstanceOf(Date);
});

test("the store voids an order no warehouse has shipped", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  expect(await callPartner("/pos/orderremove", { dispatchNO: order.dispatchNO })).toEqual(accepted);
  expect((await noticeState(database.db, order.dispatchNO))?.notice.status).toBe("voided");
});

test("a final message short of what was ordered ships the notice and flags each short SKU", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const shipped = transfer("T1", "WH01", [{ waybillCode: uniqueCode("WB"), items: [piece(SKU_A)] }]);
  expect(await callPartner("/oms/delivery/notice", noticeShipped(order.dispatchNO, [shipped]))).toEqual(accepted);

  const state = await noticeState(database.db, order.dispatchNO);
  expect(state?.notice.status).toBe("shipped");
  expect(state?.anomalies.map((a) => [a.kind, a.data])).toEqual([
    ["short_shipped", { ...SKU_A, qty: 2, ordered: 2, shipped: 1 }],
    ["short_shipped", { ...SKU_B, qty: 1, ordered: 1, shipped: 0 }],
  ]);
});

test("a return of a serial this notice never shipped is recorded and flagged", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const stranger = piece(SKU_A);
  expect(await callPartner("/oms/receive", omsReceive(order.dispatchNO, stranger, "T1"))).toEqual(accepted);

  const state = await noticeState(database.db, order.dispatchNO);
  expect(state?.returns.map((r) => r.sn)).toEqual([stranger.sn]);
  expect(state?.anomalies.map((a) => [a.kind, a.data])).toEqual([["unmatched_return", { sn: stranger.sn }]]);
});
