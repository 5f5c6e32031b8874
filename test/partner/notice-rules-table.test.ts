import { expect, test } from "vitest";
import { deliveries } from "@/db/schema/deliveries";
import { useTestDatabase } from "../database";
import { callPartner } from "../partner-client";
import { countRows, deliveriesOf, exchangesOf, noticeState } from "./hub-state";
import {
  checkout,
  noticeShipped,
  omsReceive,
  packageShipped,
  piece,
  shipFromStoreOrder,
  SKU_A,
  storeOrder,
  transfer,
  uniqueCode,
  waybillChange,
} from "./messages";

// SPEC §4: the business answers, with the seed's wording, each leaving the
// notice as it was and queueing nothing for the other side.

const database = useTestDatabase();
const accepted = { status: 200, body: { success: true } };
const refusedWith = (msg: string) => ({ status: 200, body: { success: false, msg } });

const aTransfer = () => transfer("T1", "WH01", [{ waybillCode: uniqueCode("WB"), items: [piece(SKU_A)] }]);
const aCheckout = (dn: string) => checkout(dn, [{ waybillCode: uniqueCode("WB"), sns: [uniqueCode("SN")] }]);

/** Makes a call the hub must refuse, and checks it changed nothing: same status, same deliveries, logged as rejected. */
async function expectRefusal(dispatchNo: string, path: string, body: unknown, msg: string) {
  const before = await noticeState(database.db, dispatchNo);
  const queued = await deliveriesOf(database.db, dispatchNo);
  expect(await callPartner(path, body)).toEqual(refusedWith(msg));
  const after = await noticeState(database.db, dispatchNo);
  expect(after?.notice.status).toBe(before?.notice.status);
  expect(after?.pieces).toEqual(before?.pieces);
  expect(await deliveriesOf(database.db, dispatchNo)).toEqual(queued);
  const calls = await exchangesOf(database.db, dispatchNo);
  expect(calls.filter((c) => c.outcome === "rejected" && c.path === path)).toHaveLength(1);
  return after!;
}

test.each([
  ["/pos/ordermake", storeOrder],
  ["/oms/pushorder", shipFromStoreOrder],
])("%s with a known dispatchNO and a different body: 发货通知单号重复", async (path, build) => {
  const first = build();
  expect(await callPartner(path, first)).toEqual(accepted);
  const state = await expectRefusal(first.dispatchNO, path, { ...first, receiver: "李四" }, "发货通知单号重复");
  expect(state.notice).toMatchObject({ receiver: "张三", status: "pending" });
});

test("a push reusing a store order's dispatchNO is a duplicate too", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const state = await expectRefusal(order.dispatchNO, "/oms/pushorder", shipFromStoreOrder({ dispatchNO: order.dispatchNO }), "发货通知单号重复");
  expect(state.notice.kind).toBe("store_order");
});

// Each follow-up for a notice the hub has not seen; then the notice arrives
// and the very same call, retried, is accepted: "not found" is never replayed.
const followUps: [string, (dn: string) => Record<string, unknown>, "store_order" | "ship_from_store"][] = [
  ["/pos/orderremove", (dn) => ({ dispatchNO: dn }), "store_order"],
  ["/oms/delivery/package", (dn) => packageShipped(dn, aTransfer()), "store_order"],
  ["/oms/delivery/notice", (dn) => noticeShipped(dn, [aTransfer()]), "store_order"],
  ["/oms/receive", (dn) => omsReceive(dn, piece(SKU_A), "T1"), "store_order"],
  ["/pos/checkout", aCheckout, "ship_from_store"],
  ["/pos/refuse", (dn) => ({ dispatchNO: dn, reason: "缺货" }), "ship_from_store"],
  ["/pos/delivery/waybillchange", (dn) => ({ dispatchNO: dn, ...waybillChange(uniqueCode("WB")) }), "ship_from_store"],
  ["/oms/orderremove", (dn) => ({ dispatchNO: dn, shopCode: "S002" }), "ship_from_store"],
];

test.each(followUps)("%s for an unknown dispatchNO: 通知单不存在, and accepted once the notice exists", async (path, build, kind) => {
  const dn = uniqueCode("DN");
  const call = build(dn);
  const deliveriesBefore = await countRows(database.db, deliveries);

  expect(await callPartner(path, call)).toEqual(refusedWith("通知单不存在"));
  expect(await countRows(database.db, deliveries)).toBe(deliveriesBefore);
  expect((await exchangesOf(database.db, dn)).map((c) => [c.outcome, c.noticeId])).toEqual([["rejected", null]]);

  const created =
    kind === "store_order"
      ? await callPartner("/pos/ordermake", storeOrder({ dispatchNO: dn }))
      : await callPartner("/oms/pushorder", shipFromStoreOrder({ dispatchNO: dn }));
  expect(created).toEqual(accepted);
  expect(await callPartner(path, call)).toEqual(accepted);
  expect((await exchangesOf(database.db, dn)).map((c) => c.outcome).sort()).toEqual(["accepted", "accepted", "rejected"]);
});

test("a follow-up of the other flow's kind does not find the notice", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  await expectRefusal(order.dispatchNO, "/pos/checkout", aCheckout(order.dispatchNO), "通知单不存在");
});

test("pos/orderremove after a warehouse shipped a package: 通知单已经出库", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  await callPartner("/oms/delivery/package", packageShipped(order.dispatchNO, aTransfer()));
  const state = await expectRefusal(order.dispatchNO, "/pos/orderremove", { dispatchNO: order.dispatchNO }, "通知单已经出库");
  expect(state.notice.status).toBe("partially_shipped");
});

test("pos/orderremove after the notice shipped: 通知单已经出库", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  await callPartner("/oms/delivery/notice", noticeShipped(order.dispatchNO, [aTransfer()]));
  const state = await expectRefusal(order.dispatchNO, "/pos/orderremove", { dispatchNO: order.dispatchNO }, "通知单已经出库");
  expect(state.notice.status).toBe("shipped");
});

test("oms/orderremove after the store checked out: 通知单已出库", async () => {
  const order = shipFromStoreOrder();
  await callPartner("/oms/pushorder", order);
  await callPartner("/pos/checkout", aCheckout(order.dispatchNO));
  const remove = { dispatchNO: order.dispatchNO, shopCode: "S002" };
  const state = await expectRefusal(order.dispatchNO, "/oms/orderremove", remove, "通知单已出库");
  expect(state.notice.status).toBe("shipped");
});

test("oms/orderremove naming another store: that store has no such notice (通知单不存在)", async () => {
  const order = shipFromStoreOrder();
  await callPartner("/oms/pushorder", order);
  const remove = { dispatchNO: order.dispatchNO, shopCode: "S999" };
  const state = await expectRefusal(order.dispatchNO, "/oms/orderremove", remove, "通知单不存在");
  expect(state.notice.status).toBe("pending");
});

test("pos/refuse after checkout: 通知单已出库; on a voided notice: 通知单已作废", async () => {
  const shipped = shipFromStoreOrder();
  await callPartner("/oms/pushorder", shipped);
  await callPartner("/pos/checkout", aCheckout(shipped.dispatchNO));
  expect((await expectRefusal(shipped.dispatchNO, "/pos/refuse", { dispatchNO: shipped.dispatchNO }, "通知单已出库")).notice.status).toBe(
    "shipped",
  );

  const voided = shipFromStoreOrder();
  await callPartner("/oms/pushorder", voided);
  expect(await callPartner("/oms/orderremove", { dispatchNO: voided.dispatchNO, shopCode: "S002" })).toEqual(accepted);
  expect((await expectRefusal(voided.dispatchNO, "/pos/refuse", { dispatchNO: voided.dispatchNO }, "通知单已作废")).notice.status).toBe(
    "voided",
  );
});

test.each([
  ["/oms/delivery/package", (dn: string) => packageShipped(dn, aTransfer())],
  ["/oms/delivery/notice", (dn: string) => noticeShipped(dn, [aTransfer()])],
])("%s on a voided store order: 通知单已作废, nothing recorded", async (path, build) => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  expect(await callPartner("/pos/orderremove", { dispatchNO: order.dispatchNO })).toEqual(accepted);
  const state = await expectRefusal(order.dispatchNO, path, build(order.dispatchNO), "通知单已作废");
  expect(state.notice.status).toBe("voided");
  expect(state.transfers).toEqual([]);
  expect(state.pieces).toEqual([]);
});

test("checkout on a voided ship-from-store notice: 通知单已作废, nothing recorded", async () => {
  const order = shipFromStoreOrder();
  await callPartner("/oms/pushorder", order);
  expect(await callPartner("/oms/orderremove", { dispatchNO: order.dispatchNO, shopCode: "S002" })).toEqual(accepted);
  const state = await expectRefusal(order.dispatchNO, "/pos/checkout", aCheckout(order.dispatchNO), "通知单已作废");
  expect(state.notice).toMatchObject({ status: "voided", shippedAt: null });
  expect(state.packages).toEqual([]);
});
