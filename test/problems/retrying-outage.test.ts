import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { deliveries } from "@/db/schema/deliveries";
import { problems } from "@/db/schema/problems";
import { callPartner } from "@/test/partner-client";
import { storeOrder } from "@/test/partner/messages";
import { useDeliveryHarness, waitForDeliveryState, waitForProblem as waitForProblemIn } from "@/test/delivery/harness";

// The default hour-long retry window: nothing times out during this test.
const hub = useDeliveryHarness();

const waitForProblem = (match: (row: typeof problems.$inferSelect) => boolean, what: string, timeoutMs?: number) =>
  waitForProblemIn(hub.database.db, match, what, timeoutMs);

test("a delivery still being retried is in a problem from its second failed attempt, and leaves it when it gets through", async () => {
  const { db } = hub.database;
  await hub.oms.setBehaviour({ kind: "status", status: 503 });
  const order = storeOrder();
  expect((await callPartner("/pos/ordermake", order)).body.success).toBe(true);

  const problem = await waitForProblem((row) => row.state === "open", "open");
  expect(problem).toMatchObject({ side: "oms", path: "/pos/ordermake", failureKind: "http_5xx", openCount: 1, exampleError: "HTTP 503" });
  const [delivery] = await db.select().from(deliveries).where(eq(deliveries.orderKey, order.dispatchNO));
  expect(delivery).toMatchObject({ state: "pending", problemId: problem.id });
  expect(delivery!.attempts).toBeGreaterThanOrEqual(2);

  await hub.oms.setBehaviour({ kind: "success" });
  const resolved = await waitForProblem((row) => row.id === problem.id && row.state === "resolved", "resolved by its own retry");
  expect(resolved.openCount).toBe(0);
  const [after] = await db.select().from(deliveries).where(eq(deliveries.orderKey, order.dispatchNO));
  // Kept on the delivery for the problem's history.
  expect(after).toMatchObject({ state: "delivered", problemId: problem.id });
});

test("one failed attempt that the first retry fixes opens no problem", async () => {
  const { db } = hub.database;
  const before = (await db.select().from(problems)).length;
  hub.oms.setBehaviourFor("/pos/ordermake", { kind: "status", status: 502 });
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  await hub.oms.waitFor((call) => call.body.includes(order.dispatchNO));
  hub.oms.setBehaviourFor("/pos/ordermake", null);
  const row = await waitForDeliveryState(db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "delivered");
  expect(row).toMatchObject({ attempts: 2, problemId: null });
  expect(await db.select().from(problems)).toHaveLength(before);
});
