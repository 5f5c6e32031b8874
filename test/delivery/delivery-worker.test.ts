import { expect, test } from "vitest";
import { callPartner } from "@/test/partner-client";
import { onePiecePackage, storeOrder, uniqueCode } from "@/test/partner/messages";
import {
  attemptsOf,
  deliveriesOf,
  HUB_TO_OMS_TOKEN,
  HUB_TO_POS_TOKEN,
  useDeliveryHarness,
  waitForDeliveryState,
} from "./harness";

const hub = useDeliveryHarness();

test("an accepted store order reaches the OMS at the same path, same body, with the hub's token and a stable delivery id", async () => {
  const order = storeOrder();
  const body = JSON.stringify(order);
  await callPartner("/pos/ordermake", order, { rawBody: body });

  const call = await hub.oms.waitFor((c) => c.path === "/pos/ordermake" && c.body === body);
  expect(call.headers.authorization).toBe(`Bearer ${HUB_TO_OMS_TOKEN}`);
  expect(call.attempt).toBe(1);
  const delivered = await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "delivered");
  expect(call.deliveryId).toBe(delivered.deliveryId);
  const [attempt] = await attemptsOf(hub.database.db, delivered.id);
  expect(attempt).toMatchObject({ outcome: "delivered", httpStatus: 200, attemptNo: 1 });
});

test("OMS → POS messages go to the POS with the POS token", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const shipped = onePiecePackage(order.dispatchNO);
  await callPartner("/oms/delivery/package", shipped);
  const call = await hub.pos.waitFor((c) => c.path === "/oms/delivery/package" && c.body.includes(order.dispatchNO));
  expect(call.headers.authorization).toBe(`Bearer ${HUB_TO_POS_TOKEN}`);
});

test("deliveries of one notice leave in acceptance order: a failing head holds the rest back until it heals", async () => {
  hub.oms.setBehaviourFor("/pos/ordermake", { kind: "status", status: 503 });
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const waybill = uniqueCode("WB");
  await callPartner(
    "/oms/delivery/package",
    onePiecePackage(order.dispatchNO, waybill),
  );

  await hub.oms.waitFor((c) => c.path === "/pos/ordermake" && c.body.includes(order.dispatchNO) && c.attempt === 2, 10_000);
  expect(hub.pos.received.filter((c) => c.body.includes(order.dispatchNO))).toHaveLength(0);
  const [head, follower] = await deliveriesOf(hub.database.db, order.dispatchNO);
  expect(head).toMatchObject({ state: "pending", lastStatus: 503 });
  expect(follower).toMatchObject({ state: "pending", attempts: 0 });

  hub.oms.setBehaviourFor("/pos/ordermake", null);
  const packageCall = await hub.pos.waitFor((c) => c.body.includes(waybill), 15_000);
  const ordermakeDelivered = hub.oms.received.find(
    (c) => c.path === "/pos/ordermake" && c.body.includes(order.dispatchNO) && c.answer === "success",
  );
  expect(ordermakeDelivered!.seq).toBeLessThan(packageCall.seq);
});

test("a business refusal is not retried: it waits for a person with the other side's msg, and blocks what follows", async () => {
  hub.oms.setBehaviourFor("/pos/ordermake", { kind: "refuse", msg: "门店编码不存在" });
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  await callPartner(
    "/oms/delivery/package",
    onePiecePackage(order.dispatchNO),
  );
  const rejected = await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "rejected");
  expect(rejected.answerMsg).toBe("门店编码不存在");
  // Proof the worker has moved on, not a pause: a later, unrelated order is delivered (the worker takes
  // deliveries in order, so the follower queued before it would have gone first, had it not been held).
  const later = storeOrder();
  hub.oms.setBehaviourFor("/pos/ordermake", null);
  await callPartner("/pos/ordermake", later);
  await waitForDeliveryState(hub.database.db, { dispatchNo: later.dispatchNO, path: "/pos/ordermake" }, "delivered");
  expect(hub.oms.received.filter((c) => c.body.includes(order.dispatchNO))).toHaveLength(1);
  expect(hub.pos.received.filter((c) => c.body.includes(order.dispatchNO))).toHaveLength(0);
  expect(await attemptsOf(hub.database.db, rejected.id)).toHaveLength(1);
});

test("every kind of failure is retried with the same delivery id until the counterpart answers", async () => {
  const failures = [
    { kind: "status", status: 500 },
    { kind: "status", status: 502 },
    { kind: "reset" },
    { kind: "not-json" },
    { kind: "redirect", location: "http://127.0.0.1:9/elsewhere" },
    { kind: "hang" },
  ] as const;
  for (const failure of failures) {
    hub.oms.setBehaviourFor("/pos/ordermake", failure);
    const order = storeOrder();
    await callPartner("/pos/ordermake", order);
    await hub.oms.waitFor((c) => c.body.includes(order.dispatchNO));
    hub.oms.setBehaviourFor("/pos/ordermake", null);
    const delivered = await waitForDeliveryState(
      hub.database.db,
      { dispatchNo: order.dispatchNO, path: "/pos/ordermake" },
      "delivered",
      20_000,
    );
    const attempts = await attemptsOf(hub.database.db, delivered.id);
    expect(attempts.map((a) => a.outcome), failure.kind).toEqual(["failed", "delivered"]);
    expect(attempts[0]!.error, failure.kind).toBeTruthy();
    const calls = hub.oms.received.filter((c) => c.body.includes(order.dispatchNO));
    expect(new Set(calls.map((c) => c.deliveryId))).toEqual(new Set([delivered.deliveryId]));
  }
}, 120_000);
