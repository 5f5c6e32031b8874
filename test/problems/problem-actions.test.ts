import { eq, inArray } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import { deliveries } from "@/db/schema/deliveries";
import { problems } from "@/db/schema/problems";
import { seedSampleNotices } from "@/test/sample-notices";
import { resolveDeliveries } from "@/server/delivery/manual-actions";
import { applyProblemChanges } from "@/server/problems/apply-problems";
import { actOnProblem } from "@/server/problems/problem-actions";
import type { ProblemKey } from "@/server/problems/problem-rules";
import { HubError } from "@/server/errors";
import { useTestDatabase } from "@/test/database";

const database = useTestDatabase();
const key: ProblemKey = { side: "oms", path: "/pos/ordermake", failureKind: "timeout", msg: "" };
let ids: number[] = [];

beforeAll(async () => {
  await seedSampleNotices();
  ids = (await database.db.select({ id: deliveries.id }).from(deliveries).orderBy(deliveries.id)).map((row) => row.id);
});

/** What the worker does when deliveries time out: their state, then the problem rule, in one transaction. */
async function timeOut(deliveryIds: number[], failure: { key: ProblemKey; error: string } = { key, error: "no answer within 10000 ms" }) {
  return database.db.transaction(async (tx) => {
    const before = await tx.select({ id: deliveries.id, problemId: deliveries.problemId }).from(deliveries).where(inArray(deliveries.id, deliveryIds));
    await tx.update(deliveries).set({ state: "timed_out", finishedAt: new Date() }).where(inArray(deliveries.id, deliveryIds));
    return applyProblemChanges(
      tx,
      before.map((row) => ({ deliveryId: row.id, problemIdBefore: row.problemId, failure })),
      new Date(),
    );
  });
}

const problemRow = async () => (await database.db.select().from(problems).where(eq(problems.path, key.path)))[0]!;

test("acknowledged stays acknowledged while deliveries fail into it, resolves itself when none is left open, and a new failure reopens it unacknowledged", async () => {
  expect(await timeOut([ids[0]!])).toEqual([{ problemId: expect.any(Number), change: "opened" }]);
  const { id } = await problemRow();
  await actOnProblem(database.db, { id, action: "acknowledge", actor: "ops@example.com", note: "OMS 在查" });
  expect(await timeOut([ids[1]!])).toEqual([]);
  expect(await problemRow()).toMatchObject({ state: "acknowledged", openCount: 2, totalCount: 2, acknowledgedBy: "ops@example.com", note: "OMS 在查" });

  await resolveDeliveries(database.db, { selection: { filter: { problemId: id } }, actor: "ops@example.com", note: "OMS 已手工建单" });
  expect(await problemRow()).toMatchObject({ state: "resolved", openCount: 0 });

  expect(await timeOut([ids[2]!])).toEqual([{ problemId: id, change: "opened" }]);
  expect(await problemRow()).toMatchObject({ state: "open", openCount: 1, totalCount: 3, acknowledgedBy: null, resolvedAt: null });
  await expect(actOnProblem(database.db, { id, action: "unmute", actor: "ops@example.com" })).rejects.toThrow(HubError);
});

test("muted neither resolves nor reopens; unmuted it goes back to what its deliveries say", async () => {
  const { id } = await problemRow();
  await actOnProblem(database.db, { id, action: "mute", actor: "ops@example.com", note: "已知问题" });
  await resolveDeliveries(database.db, { selection: { filter: { problemId: id } }, actor: "ops@example.com", note: "done" });
  expect(await problemRow()).toMatchObject({ state: "muted", openCount: 0 });
  expect(await timeOut([ids[3]!])).toEqual([]);
  expect(await problemRow()).toMatchObject({ state: "muted", openCount: 1 });
  expect(await actOnProblem(database.db, { id, action: "unmute", actor: "ops@example.com" })).toEqual({ state: "open" });
  await expect(actOnProblem(database.db, { id: 999_999, action: "mute", actor: "ops@example.com" })).rejects.toMatchObject({ code: "not_found" });
});

test("a delivery failing again another way keeps its problem (one outage, one problem); a rejection moves it to the problem of its msg", async () => {
  const refused = { key: { ...key, failureKind: "connection_refused" as const }, error: "fetch failed: ECONNREFUSED" };
  const rejected = { key: { ...key, failureKind: "rejected" as const, msg: "通知单不存在" }, error: "通知单不存在" };
  const { id } = await problemRow();
  const [delivery] = await database.db.select().from(deliveries).where(eq(deliveries.problemId, id)).limit(1);
  const countBefore = await database.db.select().from(problems);

  await timeOut([delivery!.id], refused);
  expect(await database.db.select().from(problems)).toHaveLength(countBefore.length);
  expect(await problemRow()).toMatchObject({ id, exampleError: "fetch failed: ECONNREFUSED", exampleDeliveryId: delivery!.id });

  await timeOut([delivery!.id], rejected);
  const [moved] = await database.db.select().from(deliveries).where(eq(deliveries.id, delivery!.id));
  const rejection = (await database.db.select().from(problems).where(eq(problems.failureKind, "rejected")))[0]!;
  expect(moved!.problemId).toBe(rejection.id);
  expect(rejection).toMatchObject({ msg: "通知单不存在", state: "open", openCount: 1, totalCount: 1 });
});
