import { setConfigForTests } from "@/server/config";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import type { Answer } from "@/test/fakes/behaviour";
import { attemptsOf, deliveriesOf, useDeliveryHarness, waitForDeliveryState } from "@/test/delivery/harness";
import { callPartner } from "@/test/partner-client";
import { storeOrder } from "@/test/partner/messages";

// Every way a real OMS answers badly, each read as SPEC §5 says: a failure is
// recorded (status, error) and retried until the other side heals; a refusal
// waits for a person and is not sent again.

const harness = useDeliveryHarness({ DELIVERY_TIMEOUT_MS: 800 });
const PATH = "/pos/ordermake";

// Headers at once, then a body that trickles in for longer than an attempt may take.
let dribbler: Server;
beforeAll(async () => {
  dribbler = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"success":');
    const timer = setInterval(() => res.write(" "), 100);
    res.on("close", () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => dribbler.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  dribbler.closeAllConnections();
  await new Promise((resolve) => dribbler.close(resolve));
});

/** The delivery once it has failed `count` times and is waiting for its next try (polling, no fixed sleep). */
function failedAttempts(dispatchNo: string, count: number) {
  return vi.waitFor(
    async () => {
      const [delivery] = await deliveriesOf(harness.database.db, dispatchNo);
      if (delivery?.state === "pending" && delivery.attempts >= count && delivery.leaseUntil === null) return delivery;
      throw new Error(`${dispatchNo}: ${delivery?.state ?? "no delivery"}, ${delivery?.attempts ?? 0} attempts, not ${count} failed`);
    },
    { timeout: 15_000, interval: 50 },
  );
}

type FailureCase = { answer: Answer | "slow body"; status: number | null; error: RegExp };

const failures: [string, FailureCase][] = [
  ["HTTP 500", { answer: { kind: "status", status: 500 }, status: 500, error: /^HTTP 500$/ }],
  ["HTTP 502", { answer: { kind: "status", status: 502 }, status: 502, error: /^HTTP 502$/ }],
  ["no answer in time", { answer: { kind: "hang" }, status: null, error: /no answer within 800 ms/ }],
  ["connection reset", { answer: { kind: "reset" }, status: null, error: /ECONNRESET|socket|other side closed/i }],
  ["a body slower than the time limit", { answer: "slow body", status: null, error: /no answer within 800 ms/ }],
  ["200 that is not JSON", { answer: { kind: "not-json" }, status: 200, error: /not JSON/ }],
  ["a redirect", { answer: { kind: "redirect", location: "http://elsewhere.test/pos/ordermake" }, status: 302, error: /HTTP 302 redirect to http:\/\/elsewhere\.test/ }],
];

test.each(failures)("%s: recorded as a failure, retried, delivered once the OMS heals", async (_, failure) => {
  const { db } = harness.database;
  if (failure.answer === "slow body") setConfigForTests({ OMS_BASE_URL: `http://127.0.0.1:${(dribbler.address() as AddressInfo).port}` });
  else harness.oms.setBehaviourFor(PATH, failure.answer);
  const order = storeOrder();
  expect((await callPartner(PATH, order)).status).toBe(200);

  const delivery = await failedAttempts(order.dispatchNO, 2);
  const failed = (await attemptsOf(db, delivery.id)).slice(0, 2);
  for (const attempt of failed) {
    expect({ outcome: attempt.outcome, httpStatus: attempt.httpStatus }).toEqual({ outcome: "failed", httpStatus: failure.status });
    expect(attempt.error).toMatch(failure.error);
  }
  expect(delivery.lastError).toMatch(failure.error);

  setConfigForTests({ OMS_BASE_URL: harness.oms.url });
  harness.oms.setBehaviourFor(PATH, null);
  const delivered = await waitForDeliveryState(db, { dispatchNo: order.dispatchNO, path: PATH }, "delivered", 20_000);
  expect((await attemptsOf(db, delivered.id)).at(-1)!.outcome).toBe("delivered");
});

test("429 with Retry-After: the next attempt is scheduled no sooner than the other side asked", async () => {
  const { db } = harness.database;
  harness.oms.setBehaviourFor(PATH, { kind: "status", status: 429, headers: { "retry-after": "2" } });
  const order = storeOrder();
  await callPartner(PATH, order);
  const waiting = await failedAttempts(order.dispatchNO, 1);
  const [first] = await attemptsOf(db, waiting.id);
  expect({ outcome: first!.outcome, httpStatus: first!.httpStatus, error: first!.error }).toEqual({ outcome: "failed", httpStatus: 429, error: "HTTP 429" });
  // The schedule the rule wrote (the first retry would otherwise come within a second), not a wait observed on the clock.
  // The answer came at startedAt + the duration; both are whole milliseconds (a Date, a rounded duration), so
  // their sum can pass the instant the rule read by 1 ms (CI saw …544 against …545).
  const answeredAt = first!.startedAt.getTime() + first!.durationMs - 1;
  expect(waiting.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(answeredAt + 2000);

  harness.oms.setBehaviourFor(PATH, null);
  const delivered = await waitForDeliveryState(db, { dispatchNo: order.dispatchNO, path: PATH }, "delivered", 20_000);
  const [, second] = await attemptsOf(db, delivered.id);
  // …and the claim kept it: not taken before it fell due.
  expect(second!.startedAt.getTime()).toBeGreaterThanOrEqual(waiting.nextAttemptAt.getTime());
});

test("a refusal ({success:false}) is escalated as rejected with its msg and never sent again", async () => {
  const { db } = harness.database;
  harness.oms.setBehaviourFor(PATH, { kind: "refuse", msg: "库存不足" });
  const order = storeOrder();
  await callPartner(PATH, order);
  const rejected = await waitForDeliveryState(db, { dispatchNo: order.dispatchNO, path: PATH }, "rejected");
  expect(rejected.answerMsg).toBe("库存不足");
  harness.oms.setBehaviourFor(PATH, null);
  // Proof the worker has claimed since, not a pause: the worker takes due deliveries oldest first, so a
  // later, unrelated order is claimed only with or after the rejected one, had that still been claimable —
  // and a claim counts the attempt in the same statement.
  const later = storeOrder();
  await callPartner(PATH, later);
  await waitForDeliveryState(db, { dispatchNo: later.dispatchNO, path: PATH }, "delivered");
  const [after] = await deliveriesOf(db, order.dispatchNO);
  expect({ state: after!.state, attempts: after!.attempts }).toEqual({ state: "rejected", attempts: 1 });
  const attempts = await attemptsOf(db, rejected.id);
  expect(attempts.map((attempt) => [attempt.outcome, attempt.httpStatus])).toEqual([["rejected", 200]]);
  expect(harness.oms.received.filter((call) => call.body.includes(order.dispatchNO))).toHaveLength(1);
});
