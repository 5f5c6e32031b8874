import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { deliveries, deliveryActions } from "@/db/schema/deliveries";
import { getConfig } from "@/server/config";
import { partnerEndpoints } from "@/server/contract/endpoints";
import { useTestDatabase } from "../database";
import { callPartner, OMS_TOKEN } from "../partner-client";
import { countRows, deliveriesOf, deliveriesOfExchange, exchangesWithBody } from "./hub-state";
import {
  checkout,
  noticeShipped,
  omsReceive,
  packageShipped,
  piece,
  shipFromStoreOrder,
  SKU_A,
  storeOrder,
  storeRefund,
  transfer,
  uniqueCode,
  waybillChange,
} from "./messages";

// Every accepted call is queued for the other side in the transaction that
// accepts it: one row, the same path, the body exactly as the partner sent it.

const database = useTestDatabase();
const accepted = { status: 200, body: { success: true } };

/** The body as a partner might really spell it: tabs, CRLF, keys in its own order, non-ASCII kept. */
const spelled = (body: object) => JSON.stringify(body, null, "\t").replace(/\n/g, "\r\n");

const forwardedPaths = new Set<string>();

async function expectForwarded(path: string, body: object, orderKey: string) {
  const raw = spelled(body);
  expect(await callPartner(path, null, { rawBody: raw })).toEqual(accepted);
  const [call] = await exchangesWithBody(database.db, raw);
  const queued = await deliveriesOfExchange(database.db, call!.id);
  expect(queued).toHaveLength(1);
  expect(queued[0]).toMatchObject({
    target: path.startsWith("/pos/") ? "oms" : "pos",
    path,
    payload: raw,
    orderKey,
    noticeId: call!.noticeId,
    state: "pending",
    attempts: 0,
  });
  expect(call!.noticeId).not.toBeNull();
  expect(queued[0]!.deadlineAt.getTime() - queued[0]!.createdAt.getTime()).toBe(getConfig().DELIVERY_DEADLINE_SECONDS * 1000);
  forwardedPaths.add(path);
}

/** What the worker would have done: the other side has this notice's messages. */
async function deliveredSoFar(dispatchNo: string) {
  await database.db
    .update(deliveries)
    .set({ state: "delivered", finishedAt: new Date() })
    .where(eq(deliveries.orderKey, dispatchNo));
}

test("each of the 12 endpoints queues exactly one delivery: other side, same path, byte-identical body, keyed by dispatchNO", async () => {
  const order = storeOrder({ receiver: "王五 (Ünïcode ✓)" });
  const so = order.dispatchNO;
  const waybill = uniqueCode("WB");
  const shipped = transfer("T1", "WH01", [{ waybillCode: waybill, items: [piece(SKU_A), piece(SKU_A)] }]);
  await expectForwarded("/pos/ordermake", order, so);
  await expectForwarded("/oms/delivery/package", packageShipped(so, shipped), so);
  await expectForwarded("/oms/delivery/notice", noticeShipped(so, [shipped]), so);
  await expectForwarded("/oms/receive", omsReceive(so, shipped.packages[0]!.items[0]!, "T1"), so);
  await expectForwarded("/oms/delivery/waybillchange", waybillChange(waybill), so);

  const push = shipFromStoreOrder();
  const fs = push.dispatchNO;
  const [sn, parcel] = [uniqueCode("SN"), uniqueCode("WB")];
  await expectForwarded("/oms/pushorder", push, fs);
  await expectForwarded("/pos/checkout", checkout(fs, [{ waybillCode: parcel, sns: [sn, uniqueCode("SN")] }]), fs);
  await expectForwarded("/pos/refund", storeRefund(sn), fs);
  await expectForwarded("/pos/delivery/waybillchange", { dispatchNO: fs, ...waybillChange(parcel) }, fs);

  const refused = shipFromStoreOrder();
  await callPartner("/oms/pushorder", refused);
  await expectForwarded("/pos/refuse", { dispatchNO: refused.dispatchNO, reason: "门店缺货" }, refused.dispatchNO);

  const removed = storeOrder();
  await callPartner("/pos/ordermake", removed);
  await deliveredSoFar(removed.dispatchNO);
  await expectForwarded("/pos/orderremove", { dispatchNO: removed.dispatchNO }, removed.dispatchNO);

  const withdrawn = shipFromStoreOrder();
  await callPartner("/oms/pushorder", withdrawn);
  await deliveredSoFar(withdrawn.dispatchNO);
  await expectForwarded("/oms/orderremove", { dispatchNO: withdrawn.dispatchNO, shopCode: "S002" }, withdrawn.dispatchNO);

  expect([...forwardedPaths].sort()).toEqual(partnerEndpoints.map((e) => e.path).sort());
  // One notice's deliveries leave in the order the hub accepted them.
  expect((await deliveriesOf(database.db, so)).map((d) => d.path)).toEqual([
    "/pos/ordermake",
    "/oms/delivery/package",
    "/oms/delivery/notice",
    "/oms/receive",
    "/oms/delivery/waybillchange",
  ]);
});

test("refused calls queue nothing: business refusal, repeat, bad body, bad or wrong credentials", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const before = await countRows(database.db, deliveries);

  expect((await callPartner("/pos/ordermake", { ...order, receiver: "李四" })).body.success).toBe(false);
  expect(await callPartner("/pos/ordermake", order)).toEqual(accepted);
  expect((await callPartner("/oms/delivery/notice", noticeShipped(uniqueCode("DN"), []))).body.success).toBe(false);
  expect((await callPartner("/pos/ordermake", { ...storeOrder(), items: [] })).status).toBe(400);
  expect((await callPartner("/pos/ordermake", storeOrder(), { token: null })).status).toBe(401);
  expect((await callPartner("/pos/ordermake", storeOrder(), { token: OMS_TOKEN })).status).toBe(403);

  expect(await countRows(database.db, deliveries)).toBe(before);
});

test("a void of a notice the other side never received cancels its creation and bothers nobody", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  expect(await callPartner("/pos/orderremove", { dispatchNO: order.dispatchNO })).toEqual(accepted);

  const queued = await deliveriesOf(database.db, order.dispatchNO);
  expect(queued.map((d) => [d.path, d.state])).toEqual([["/pos/ordermake", "cancelled"]]);
  const audit = await database.db.select().from(deliveryActions).where(eq(deliveryActions.deliveryId, queued[0]!.id));
  expect(audit.map((a) => [a.action, a.actor, a.stateBefore, a.stateAfter])).toEqual([["auto_cancel", "hub", "pending", "cancelled"]]);
});
