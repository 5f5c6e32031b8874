import { getConfig, setConfigForTests } from "@/server/config";
import { createServer, type AddressInfo } from "node:net";
import { expect, test, vi } from "vitest";
import { BUSINESS_MSG } from "@/server/notices/rules";
import { callPartner } from "@/test/partner-client";
import { shipFromStoreOrder, storeOrder } from "@/test/partner/messages";
import { noticeState } from "@/test/partner/hub-state";
import { REFUSED_VOID_NOTE } from "@/server/void/relay-void";
import { actionsOf, attemptsOf, deliveriesOf, useDeliveryHarness, waitForDeliveryState } from "./harness";

const hub = useDeliveryHarness({ VOID_SYNC_BUDGET_MS: 700 });

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function deliveredStoreOrder() {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "delivered");
  return order;
}

test("a store void is put to the OMS first; its yes is relayed and the notice is voided", async () => {
  const order = await deliveredStoreOrder();
  const answer = await callPartner("/pos/orderremove", { dispatchNO: order.dispatchNO });
  expect(answer.body).toEqual({ success: true });
  expect(hub.oms.received.some((c) => c.path === "/pos/orderremove" && c.body.includes(order.dispatchNO))).toBe(true);
  expect((await noticeState(hub.database.db, order.dispatchNO))!.notice.status).toBe("voided");
  const [, voidDelivery] = await deliveriesOf(hub.database.db, order.dispatchNO);
  expect(voidDelivery).toMatchObject({ state: "delivered", attempts: 1 });
});

test("the OMS's refusal of a store void is what the store hears, the notice stays as it was, and a retry hears it again", async () => {
  const order = await deliveredStoreOrder();
  hub.oms.setBehaviourFor("/pos/orderremove", { kind: "refuse", msg: BUSINESS_MSG.storeOrderShipped });
  const answer = await callPartner("/pos/orderremove", { dispatchNO: order.dispatchNO });
  expect(answer.body).toEqual({ success: false, msg: "通知单已经出库" });
  expect((await noticeState(hub.database.db, order.dispatchNO))!.notice.status).toBe("pending");
  const [, voidDelivery] = await deliveriesOf(hub.database.db, order.dispatchNO);
  // Shown as what it was: refused, never "delivered"; closed by the hub, as the caller already heard the refusal.
  expect(voidDelivery).toMatchObject({ state: "resolved", answerMsg: "通知单已经出库", problemId: null });
  expect(await attemptsOf(hub.database.db, voidDelivery!.id)).toEqual([expect.objectContaining({ outcome: "rejected" })]);
  expect(await actionsOf(hub.database.db, voidDelivery!.id)).toEqual([
    expect.objectContaining({ action: "resolve", actor: "hub", note: REFUSED_VOID_NOTE, stateAfter: "resolved" }),
  ]);

  const retried = await callPartner("/pos/orderremove", { dispatchNO: order.dispatchNO });
  expect(retried.body).toEqual({ success: false, msg: "通知单已经出库" });
  expect(hub.oms.received.filter((c) => c.path === "/pos/orderremove" && c.body.includes(order.dispatchNO))).toHaveLength(1);
});

test("an OMS void is put to the store's POS, and the store's refusal comes back to the OMS", async () => {
  const order = shipFromStoreOrder();
  await callPartner("/oms/pushorder", order);
  await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/oms/pushorder" }, "delivered");
  hub.pos.setBehaviourFor("/oms/orderremove", { kind: "refuse", msg: BUSINESS_MSG.storeCheckedOut });
  const answer = await callPartner("/oms/orderremove", { dispatchNO: order.dispatchNO, shopCode: order.shopCode });
  expect(answer.body).toEqual({ success: false, msg: "通知单已出库" });
  expect((await noticeState(hub.database.db, order.dispatchNO))!.notice.status).toBe("pending");
});

test("when the other side does not answer within the budget, the hub answers from its own picture and keeps the void queued", async () => {
  const order = await deliveredStoreOrder();
  hub.oms.setBehaviourFor("/pos/orderremove", { kind: "hang" });
  // The OMS never answers a hung call: an answer at all means the hub stopped waiting; its attempt says after what.
  const answer = await callPartner("/pos/orderremove", { dispatchNO: order.dispatchNO });
  expect(answer.body).toEqual({ success: true });
  const [, queuedVoid] = await deliveriesOf(hub.database.db, order.dispatchNO);
  expect(await attemptsOf(hub.database.db, queuedVoid!.id)).toEqual([
    expect.objectContaining({ outcome: "failed", error: `no answer within ${getConfig().VOID_SYNC_BUDGET_MS} ms` }),
  ]);
  expect((await noticeState(hub.database.db, order.dispatchNO))!.notice.status).toBe("voided");

  hub.oms.setBehaviourFor("/pos/orderremove", null);
  const delivered = await waitForDeliveryState(
    hub.database.db,
    { dispatchNo: order.dispatchNO, path: "/pos/orderremove" },
    "delivered",
    20_000,
  );
  const calls = hub.oms.received.filter((c) => c.path === "/pos/orderremove" && c.body.includes(order.dispatchNO));
  expect(calls.length).toBeGreaterThanOrEqual(2);
  expect(new Set(calls.map((c) => c.deliveryId))).toEqual(new Set([delivered.deliveryId]));
});

test("a void for a notice the OMS never received cancels both deliveries and bothers nobody", async () => {
  // Nothing listens there: every attempt is a refused connection, which never carried the body.
  const omsUrl = getConfig().OMS_BASE_URL;
  setConfigForTests({ OMS_BASE_URL: `http://127.0.0.1:${await closedPort()}` });
  const order = storeOrder();
  try {
    await callPartner("/pos/ordermake", order);
    // The void comes after the first failed attempt, while the retry is still half a second away.
    const [creation] = await deliveriesOf(hub.database.db, order.dispatchNO);
    await expect.poll(async () => (await attemptsOf(hub.database.db, creation!.id)).length, { interval: 20 }).toBe(1);

    const answer = await callPartner("/pos/orderremove", { dispatchNO: order.dispatchNO });
    expect(answer.body).toEqual({ success: true });
    expect((await noticeState(hub.database.db, order.dispatchNO))!.notice.status).toBe("voided");
    const queued = await deliveriesOf(hub.database.db, order.dispatchNO);
    expect(queued.map((d) => [d.path, d.state])).toEqual([["/pos/ordermake", "cancelled"]]);
    expect(await actionsOf(hub.database.db, queued[0]!.id)).toEqual([expect.objectContaining({ action: "auto_cancel", actor: "hub" })]);
  } finally {
    setConfigForTests({ OMS_BASE_URL: omsUrl });
  }
  // The worker takes deliveries in order: once a later order has arrived, the cancelled ones were passed over for good.
  await deliveredStoreOrder();
  expect(hub.oms.received.filter((c) => c.body.includes(order.dispatchNO))).toHaveLength(0);
});

test("a void is not collapsed when the creation may have arrived (its attempt timed out)", async () => {
  hub.oms.setBehaviourFor("/pos/ordermake", { kind: "hang" });
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  await hub.oms.waitFor((c) => c.body.includes(order.dispatchNO));
  // The 1 s attempt limit passes: its attempt is recorded as failed (no answer), so it may have arrived.
  const [creation] = await deliveriesOf(hub.database.db, order.dispatchNO);
  await vi.waitFor(async () => expect((await attemptsOf(hub.database.db, creation!.id)).length).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });
  hub.oms.setBehaviourFor("/pos/ordermake", null);

  await callPartner("/pos/orderremove", { dispatchNO: order.dispatchNO });
  await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/orderremove" }, "delivered", 20_000);
  const paths = hub.oms.received.filter((c) => c.body.includes(order.dispatchNO) && c.answer === "success").map((c) => c.path);
  expect(paths).toEqual(["/pos/ordermake", "/pos/orderremove"]);
});

// Any HTTP answer means the OMS read the request: its 500 (or a gateway's 502 / 504 in front of it) may come after it
// stored the order, and the seed names no status that means "refused, stored nothing" (其他 HttpStatus 重试直至超时人工处理).
test.each([500, 502, 504, 400])("a void is not collapsed when the creation was answered with HTTP %i: it may have arrived", async (status) => {
  hub.oms.setBehaviourFor("/pos/ordermake", { kind: "status", status });
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const [creation] = await deliveriesOf(hub.database.db, order.dispatchNO);
  await expect.poll(async () => (await attemptsOf(hub.database.db, creation!.id)).length, { interval: 20 }).toBeGreaterThan(0);
  hub.oms.setBehaviourFor("/pos/ordermake", null);

  const answer = await callPartner("/pos/orderremove", { dispatchNO: order.dispatchNO });
  expect(answer.body).toEqual({ success: true });
  expect(await actionsOf(hub.database.db, creation!.id)).toEqual([]);
  await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/orderremove" }, "delivered", 20_000);
  const paths = hub.oms.received.filter((c) => c.body.includes(order.dispatchNO) && c.answer === "success").map((c) => c.path);
  expect(paths).toEqual(["/pos/ordermake", "/pos/orderremove"]);
});
