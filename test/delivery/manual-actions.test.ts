import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import {
  cancelDeliveries,
  countSelectedDeliveries,
  editAndResendDelivery,
  resolveDeliveries,
  retryDeliveriesNow,
} from "@/server/delivery/manual-actions";
import { HubError } from "@/server/errors";
import { followRetriedDeliveries } from "@/server/delivery/retry-outcome";
import { vi } from "vitest";
import { callPartner } from "@/test/partner-client";
import { onePiecePackage, storeOrder, uniqueCode } from "@/test/partner/messages";
import { actionsOf, attemptsOf, deliveriesOf, useDeliveryHarness, waitForDeliveryState } from "./harness";

const DEADLINE_SECONDS = 3600;
const hub = useDeliveryHarness({ DELIVERY_DEADLINE_SECONDS: DEADLINE_SECONDS });

/** A store order whose creation failed past its deadline: the worker's clock is moved past it, nobody waits for it. */
async function timedOutStoreOrder() {
  hub.clock.aheadMs = (DEADLINE_SECONDS + 60) * 1000;
  hub.oms.setBehaviourFor("/pos/ordermake", { kind: "status", status: 500 });
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const waybill = uniqueCode("WB");
  await callPartner(
    "/oms/delivery/package",
    onePiecePackage(order.dispatchNO, waybill),
  );
  const head = await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "timed_out");
  return { order, head, waybill };
}

test("past the deadline a failing delivery is timed out, keeps its attempt history, and holds its followers back", async () => {
  const { order, head } = await timedOutStoreOrder();
  const attempts = await attemptsOf(hub.database.db, head.id);
  expect(attempts.length).toBeGreaterThanOrEqual(1);
  expect(attempts.every((a) => a.outcome === "failed" && a.httpStatus === 500)).toBe(true);
  expect(head.lastError).toBe("HTTP 500");
  const [, follower] = await deliveriesOf(hub.database.db, order.dispatchNO);
  expect(follower).toMatchObject({ state: "pending", attempts: 0 });
  expect(await countSelectedDeliveries(hub.database.db, { filter: { queue: "blocked", noticeId: head.noticeId! } })).toMatchObject({ n: 1 });
});

test("retry now, after the counterpart recovered, delivers the head and then the queue behind it, audited", async () => {
  const { order, head, waybill } = await timedOutStoreOrder();
  hub.oms.setBehaviourFor("/pos/ordermake", null);
  const { changed } = await retryDeliveriesNow(hub.database.db, {
    selection: { ids: [head.id] },
    actor: "ops@example.com",
    note: "OMS back up",
  });
  expect(changed).toBe(1);
  await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "delivered");
  await hub.pos.waitFor((c) => c.body.includes(waybill));
  const [action] = await actionsOf(hub.database.db, head.id);
  expect(action).toMatchObject({
    action: "retry_now",
    actor: "ops@example.com",
    note: "OMS back up",
    stateBefore: "timed_out",
    stateAfter: "pending",
  });
});

test("a delivery held behind a stuck head gets its own retry window once a retried head is delivered", async () => {
  // The package's deadline (acceptance + window) passed on the worker's clock while the head held it back.
  const { order, head, waybill } = await timedOutStoreOrder();
  hub.oms.setBehaviourFor("/pos/ordermake", null);
  hub.pos.setBehaviourFor("/oms/delivery/package", { kind: "status", status: 500 });
  await retryDeliveriesNow(hub.database.db, { selection: { ids: [head.id] }, actor: "ops@example.com", note: "OMS back up" });
  await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "delivered");

  const [, follower] = await deliveriesOf(hub.database.db, order.dispatchNO);
  await expect.poll(async () => (await attemptsOf(hub.database.db, follower!.id)).length, { interval: 20 }).toBeGreaterThan(0);
  const [afterFirstFailure] = (await deliveriesOf(hub.database.db, order.dispatchNO)).slice(1);
  expect(afterFirstFailure).toMatchObject({ state: "pending", lastError: "HTTP 500" });
  // Still retrying: its next attempt falls inside a full window counted from its release (on the worker's clock).
  expect(afterFirstFailure!.deadlineAt.getTime()).toBeGreaterThan(afterFirstFailure!.nextAttemptAt.getTime());
  expect(hub.pos.received.filter((c) => c.body.includes(waybill))).toHaveLength(1);
});

test("resolving a stuck head with a note releases the deliveries queued behind it; the head itself is never sent again", async () => {
  const { order, head, waybill } = await timedOutStoreOrder();
  const callsBefore = hub.oms.received.filter((c) => c.body.includes(order.dispatchNO)).length;
  await expect(
    resolveDeliveries(hub.database.db, { selection: { ids: [head.id] }, actor: "ops@example.com", note: " " }),
  ).rejects.toThrow(HubError);
  await resolveDeliveries(hub.database.db, {
    selection: { ids: [head.id] },
    actor: "ops@example.com",
    note: "门店已电话通知 OMS 人工建单",
  });
  await hub.pos.waitFor((c) => c.body.includes(waybill));
  const [resolved] = await deliveriesOf(hub.database.db, order.dispatchNO);
  expect(resolved!.state).toBe("resolved");
  expect(hub.oms.received.filter((c) => c.body.includes(order.dispatchNO))).toHaveLength(callsBefore);
  expect(await actionsOf(hub.database.db, head.id)).toEqual([
    expect.objectContaining({ action: "resolve", note: "门店已电话通知 OMS 人工建单", stateAfter: "resolved" }),
  ]);
});

test("cancel on a filtered selection closes every match, with one audit row each", async () => {
  const first = await timedOutStoreOrder();
  const second = await timedOutStoreOrder();
  const filter = { queue: "timed_out" as const, path: "/pos/ordermake" };
  const confirmed = await countSelectedDeliveries(hub.database.db, { filter });
  expect(confirmed.n).toBeGreaterThanOrEqual(2);
  const { changed } = await cancelDeliveries(hub.database.db, { selection: { filter, confirmed }, actor: "lead@example.com", note: "test orders" });
  expect(changed).toBe(confirmed.n);
  for (const { head } of [first, second]) {
    const [action] = await actionsOf(hub.database.db, head.id);
    expect(action).toMatchObject({ action: "cancel", actor: "lead@example.com", stateBefore: "timed_out", stateAfter: "cancelled" });
  }
  expect(await countSelectedDeliveries(hub.database.db, { filter })).toEqual({ n: 0, upTo: 0, ids: [] });
});

test("an action on a filter changes what the person confirmed: not what arrived since, and says when fewer changed", async () => {
  const filter = { queue: "timed_out" as const, path: "/pos/ordermake" };
  const first = await timedOutStoreOrder();
  const second = await timedOutStoreOrder();
  const confirmed = await countSelectedDeliveries(hub.database.db, { filter });
  expect(confirmed).toMatchObject({ n: expect.any(Number) as number, upTo: second.head.id });
  // While the dialog is open: one confirmed delivery is resolved by someone else, a new one times out.
  await resolveDeliveries(hub.database.db, { selection: { ids: [first.head.id] }, actor: "other@example.com", note: "done by phone" });
  const later = await timedOutStoreOrder();

  const result = await cancelDeliveries(hub.database.db, { selection: { filter, confirmed }, actor: "lead@example.com", note: "test orders" });
  // The resolved one left the timed_out filter, so it is not among `skipped`: `confirmed` is what tells the person.
  expect(result).toMatchObject({ changed: confirmed.n - 1, confirmed: confirmed.n });
  const [arrived] = await deliveriesOf(hub.database.db, later.order.dispatchNO);
  expect(arrived!.state).toBe("timed_out");
  expect(await actionsOf(hub.database.db, later.head.id)).toEqual([]);
});

test("an action on a filter that now matches more of the counted deliveries than were confirmed is refused, nothing changed", async () => {
  const filter = { queue: "timed_out" as const };
  const { order } = await timedOutStoreOrder();
  await timedOutStoreOrder();
  const confirmed = await countSelectedDeliveries(hub.database.db, { filter });
  // After the count, an older delivery (id below upTo) enters the selection: the first order's package,
  // held behind its head, reaches its deadline (the update the worker makes when a deadline passes).
  const [, follower] = await deliveriesOf(hub.database.db, order.dispatchNO);
  expect(follower!.id).toBeLessThan(confirmed.upTo);
  await hub.database.db.execute(sql`update deliveries set state = 'timed_out', finished_at = now() where id = ${follower!.id}`);

  await expect(
    cancelDeliveries(hub.database.db, { selection: { filter, confirmed }, actor: "lead@example.com", note: "test orders" }),
  ).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/count again/) as string });
  expect(await countSelectedDeliveries(hub.database.db, { filter })).toMatchObject({ n: confirmed.n + 1, upTo: confirmed.upTo });
  expect(await actionsOf(hub.database.db, follower!.id)).toEqual([]);
});

test("an action on a filter refuses a delivery that was not counted even when as many matched: one left, another entered", async () => {
  // Ids grow with arrival only: a queue, a problem or a head's followers gain older deliveries as states
  // change, so one leaving and an older one entering keeps the number and changes what would be cancelled.
  const filter = { queue: "timed_out" as const };
  const first = await timedOutStoreOrder();
  await timedOutStoreOrder();
  const confirmed = await countSelectedDeliveries(hub.database.db, { filter });
  await resolveDeliveries(hub.database.db, { selection: { ids: [first.head.id] }, actor: "other@example.com", note: "done by phone" });
  const [, follower] = await deliveriesOf(hub.database.db, first.order.dispatchNO);
  expect(follower!.id).toBeLessThan(confirmed.upTo);
  await hub.database.db.execute(sql`update deliveries set state = 'timed_out', finished_at = now() where id = ${follower!.id}`);
  expect(await countSelectedDeliveries(hub.database.db, { filter })).toMatchObject({ n: confirmed.n, upTo: confirmed.upTo });

  await expect(
    cancelDeliveries(hub.database.db, { selection: { filter, confirmed }, actor: "lead@example.com", note: "test orders" }),
  ).rejects.toMatchObject({ code: "conflict" });
  expect(await actionsOf(hub.database.db, follower!.id)).toEqual([]);
});

test("edit and resend validates the new body against the endpoint's schema, sends it, and keeps both versions", async () => {
  hub.oms.setBehaviourFor("/pos/ordermake", { kind: "refuse", msg: "收件人电话格式错误" });
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const rejected = await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "rejected");
  hub.oms.setBehaviourFor("/pos/ordermake", null);

  const broken = JSON.stringify({ ...order, items: [] });
  await expect(
    editAndResendDelivery(hub.database.db, { id: rejected.id, payload: broken, actor: "ops@example.com" }),
  ).rejects.toThrow(/items/);

  const fixed = JSON.stringify({ ...order, phone: "13800001234" });
  await editAndResendDelivery(hub.database.db, { id: rejected.id, payload: fixed, actor: "ops@example.com", note: "去掉电话中的横线" });
  const call = await hub.oms.waitFor((c) => c.body === fixed);
  expect(call.deliveryId).toBe(rejected.deliveryId);
  const delivered = await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "delivered");
  expect(delivered.payloadVersion).toBe(2);
  const [action] = await actionsOf(hub.database.db, rejected.id);
  expect(action).toMatchObject({ action: "edit_and_resend", payloadBefore: rejected.payload, payloadAfter: fixed });
  expect((await attemptsOf(hub.database.db, rejected.id)).map((a) => a.payloadVersion)).toEqual([1, 2]);
});

test("edit and resend sends what it checked: a dispatchNO or shop typed with stray spaces goes out trimmed", async () => {
  hub.oms.setBehaviourFor("/pos/ordermake", { kind: "refuse", msg: "收件人电话格式错误" });
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const rejected = await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "rejected");
  hub.oms.setBehaviourFor("/pos/ordermake", null);

  // Pasted from a chat message: a trailing space and an IME's full-width space.
  const typed = JSON.stringify({ ...order, dispatchNO: `${order.dispatchNO} `, shopCode: `\u3000${order.shopCode}`, phone: "13800001234" });
  await editAndResendDelivery(hub.database.db, { id: rejected.id, payload: typed, actor: "ops@example.com" });
  const call = await hub.oms.waitFor((c) => c.deliveryId === rejected.deliveryId && c.body !== rejected.payload);
  expect(JSON.parse(call.body)).toMatchObject({ dispatchNO: order.dispatchNO, shopCode: order.shopCode, phone: "13800001234" });
  const [action] = await actionsOf(hub.database.db, rejected.id);
  expect(action!.payloadAfter).toBe(call.body);
});

test("edit and resend cannot move a delivery to another notice or shop, nor add fields outside the contract", async () => {
  hub.oms.setBehaviourFor("/pos/ordermake", { kind: "refuse", msg: "收件人电话格式错误" });
  const order = storeOrder();
  const other = storeOrder({ shopCode: "S009" });
  await callPartner("/pos/ordermake", order);
  await callPartner("/pos/ordermake", other);
  const rejected = await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "rejected");
  hub.oms.setBehaviourFor("/pos/ordermake", null);

  const hijacks = [
    [{ ...order, dispatchNO: other.dispatchNO }, /dispatchNO: 不能修改/],
    [{ ...order, shopCode: "S009" }, /shopCode: 不能修改/],
    [{ ...order, dispatchNO: other.dispatchNO, shopCode: "S009", extra: { dispatchNO: other.dispatchNO } }, /dispatchNO/],
    [{ ...order, extra: { anything: true } }, /extra: 接口文档之外的字段/],
  ] as const;
  for (const [payload, reason] of hijacks) {
    await expect(editAndResendDelivery(hub.database.db, { id: rejected.id, payload: JSON.stringify(payload), actor: "ops@example.com" })).rejects.toThrow(reason);
  }

  const [after] = (await deliveriesOf(hub.database.db, order.dispatchNO)).filter((delivery) => delivery.id === rejected.id);
  expect(after).toMatchObject({ state: "rejected", payloadVersion: 1, payload: rejected.payload });
  expect(await actionsOf(hub.database.db, rejected.id)).toEqual([]);
  expect(hub.oms.received.filter((call) => call.deliveryId === rejected.deliveryId).map((call) => call.body)).toEqual([rejected.payload]);
});

test("a bulk retry is followed to its outcome: delivered, still failing with the reason, and skipped deliveries by state", async () => {
  const first = await timedOutStoreOrder();
  const second = await timedOutStoreOrder();
  // The first notice's OMS path recovers, the second's store order is now refused by the OMS.
  hub.oms.setBehaviourFor("/pos/ordermake", null);
  await retryDeliveriesNow(hub.database.db, { selection: { ids: [first.head.id] }, actor: "ops@example.com" });
  await waitForDeliveryState(hub.database.db, { dispatchNo: first.order.dispatchNO, path: "/pos/ordermake" }, "delivered");
  hub.oms.setBehaviourFor("/pos/ordermake", { kind: "refuse", msg: "库存不足" });

  const result = await retryDeliveriesNow(hub.database.db, {
    selection: { ids: [first.head.id, second.head.id] },
    actor: "bulk@example.com",
  });
  expect(result.changed).toBe(1);
  expect(result.skipped).toEqual([{ state: "delivered", n: 1 }]);
  expect(result.followForMs).toBeGreaterThan(0);

  const outcome = await vi.waitFor(
    async () => {
      const now = await followRetriedDeliveries(hub.database.db, { actor: "bulk@example.com", at: result.at });
      if (!now.settled) throw new Error("still waiting");
      return now;
    },
    { timeout: 15_000, interval: 100 },
  );
  expect(outcome).toMatchObject({ total: 1, delivered: 0, failing: 1, waiting: 0, reasons: [{ reason: "库存不足", n: 1 }] });
  // The follower of the second notice is still held back by its head: reported when it is in the batch.
  const followers = await deliveriesOf(hub.database.db, second.order.dispatchNO);
  const again = await retryDeliveriesNow(hub.database.db, { selection: { ids: [followers[1]!.id] }, actor: "bulk@example.com" });
  const blocked = await followRetriedDeliveries(hub.database.db, { actor: "bulk@example.com", at: again.at });
  expect(blocked).toMatchObject({ total: 1, blocked: 1, settled: true });
});
