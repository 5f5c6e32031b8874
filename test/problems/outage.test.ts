import { asc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { deliveries } from "@/db/schema/deliveries";
import { problems } from "@/db/schema/problems";
import { cancelDeliveries, retryDeliveriesNow } from "@/server/delivery/manual-actions";
import { callPartner } from "@/test/partner-client";
import { storeOrder } from "@/test/partner/messages";
import { useDeliveryHarness, waitForDeliveryState, waitForProblem as waitForProblemIn } from "@/test/delivery/harness";

// A two-second retry window: a refused delivery times out within the test. A
// generous attempt limit, so a loaded machine cannot turn a refusal into a timeout.
const hub = useDeliveryHarness({ DELIVERY_DEADLINE_SECONDS: 2, DELIVERY_TIMEOUT_MS: 5000 });

const allProblems = () => hub.database.db.select().from(problems).orderBy(asc(problems.id));

const waitForProblem = (match: (row: typeof problems.$inferSelect) => boolean, what: string, timeoutMs?: number) =>
  waitForProblemIn(hub.database.db, match, what, timeoutMs);

async function placeOrders(n: number) {
  const orders = Array.from({ length: n }, () => storeOrder());
  for (const order of orders) expect((await callPartner("/pos/ordermake", order)).body.success).toBe(true);
  return orders;
}

test("an OMS outage opens one problem holding every affected delivery; one group retry after recovery resolves it; a new failure reopens it", async () => {
  const { db } = hub.database;
  await hub.oms.setBehaviour({ kind: "down" });
  const orders = await placeOrders(6);
  for (const order of orders) await waitForDeliveryState(db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "timed_out");

  const [problem, ...others] = await allProblems();
  expect(others).toEqual([]);
  expect(problem).toMatchObject({
    side: "oms",
    path: "/pos/ordermake",
    failureKind: "connection_refused",
    msg: "",
    state: "open",
    openCount: 6,
    totalCount: 6,
    resolvedAt: null,
  });
  expect(problem!.exampleError).toMatch(/ECONNREFUSED/);
  const inIt = await db.select().from(deliveries).where(eq(deliveries.problemId, problem!.id));
  expect(inIt.map((row) => row.orderKey).sort()).toEqual(orders.map((order) => order.dispatchNO).sort());

  await hub.oms.setBehaviour({ kind: "success" });
  const { changed } = await retryDeliveriesNow(db, { selection: { filter: { problemId: problem!.id } }, actor: "ops@example.com" });
  expect(changed).toBe(6);
  const resolved = await waitForProblem((row) => row.id === problem!.id && row.state === "resolved", "resolved");
  expect(resolved).toMatchObject({ openCount: 0, totalCount: 6 });
  expect(resolved.resolvedAt).not.toBeNull();
  for (const order of orders) expect(hub.oms.received.some((call) => call.body.includes(order.dispatchNO))).toBe(true);

  await hub.oms.setBehaviour({ kind: "down" });
  const [late] = await placeOrders(1);
  await waitForDeliveryState(db, { dispatchNo: late!.dispatchNO, path: "/pos/ordermake" }, "timed_out");
  const reopened = await waitForProblem((row) => row.id === problem!.id && row.state === "open", "reopened");
  expect(reopened).toMatchObject({ openCount: 1, totalCount: 7, resolvedAt: null });
  expect(reopened.openedAt.getTime()).toBeGreaterThan(resolved.resolvedAt!.getTime() - 1);
  expect(await allProblems()).toHaveLength(1);

  // Closing the group another way (cancel with a note) resolves it too.
  await cancelDeliveries(db, { selection: { filter: { problemId: problem!.id } }, actor: "ops@example.com", note: "门店已取消" });
  expect((await allProblems())[0]).toMatchObject({ state: "resolved", openCount: 0 });
});
