import { eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { deliveries, deliveryAttempts } from "@/db/schema/deliveries";
import { rowsOf } from "@/db/rows";
import { claimDueDeliveries } from "@/server/delivery/claim-deliveries";
import { finishAttempts, type FinishedAttempt } from "@/server/delivery/finish-attempt";
import { cancelDeliveries, retryDeliveriesNow } from "@/server/delivery/manual-actions";
import { useTestDatabase } from "@/test/database";
import { callPartner } from "@/test/partner-client";
import { onePiecePackage, storeOrder, uniqueCode } from "@/test/partner/messages";

// The worker finishing a batch and a person's action on a selection both lock
// deliveries in id order (553d7cb). A batch of several heads also releases the
// followers of those delivered: a follower of the first head can sit between
// two heads in id order, and a person's selection can hold it.

// PostgreSQL itself: the embedded database runs one statement at a time and cannot wait on a lock.
const database = useTestDatabase({ server: true });

const delivered = (delivery: FinishedAttempt["delivery"]): FinishedAttempt => ({
  delivery,
  url: "http://partner.test",
  startedAt: new Date(),
  durationMs: 5,
  result: { kind: "answered", status: 200, bodyText: '{"success":true}' },
  worker: "test",
});

/** Waits until `n` statements of this database wait for a row lock. */
async function lockWaiters(n: number) {
  for (let tries = 0; tries < 200; tries++) {
    const [row] = rowsOf<{ n: number }>(
      await database.db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`),
    );
    if (row!.n >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`fewer than ${n} statements waiting for a lock`);
}

test("a batch releasing a follower that lies between its heads in id order does not deadlock with a person's action holding that follower", async () => {
  // Ids in arrival order: a's head, a's follower (its package), b's head.
  const a = storeOrder();
  const b = storeOrder();
  expect((await callPartner("/pos/ordermake", a)).body).toEqual({ success: true });
  expect((await callPartner("/oms/delivery/package", onePiecePackage(a.dispatchNO, uniqueCode("WB")))).body).toEqual({ success: true });
  expect((await callPartner("/pos/ordermake", b)).body).toEqual({ success: true });
  const batch = await claimDueDeliveries(database.db, { limit: 10, leaseMs: 60_000, targets: ["oms", "pos"] });
  expect(batch).toHaveLength(2);
  const [headA, headB] = [...batch].sort((x, y) => x.id - y.id);
  const [follower] = await database.db.select().from(deliveries).where(eq(deliveries.orderKey, headA!.orderKey!)).orderBy(deliveries.id).offset(1);
  expect(headA!.id).toBeLessThan(follower!.id);
  expect(follower!.id).toBeLessThan(headB!.id);

  // Someone holds b's head for a moment (another worker's statement, a person's action); the worker's
  // finish queues for it first, a person's cancel of the follower and b's head second.
  let release!: () => void;
  let held!: () => void;
  const heldNow = new Promise<void>((resolve) => (held = resolve));
  const holder = database.db.transaction(async (tx) => {
    await tx.execute(sql`select id from deliveries where id = ${headB!.id} for update`);
    held();
    await new Promise<void>((resolve) => (release = resolve));
  });
  await heldNow;
  const finishing = finishAttempts(database.db, batch.map(delivered));
  await lockWaiters(1);
  const cancelling = cancelDeliveries(database.db, { selection: { ids: [follower!.id, headB!.id] }, actor: "ops@example.com", note: "test" });
  await lockWaiters(2);
  release();
  await holder;

  // Neither fails (a deadlock aborts one of them with 40P01 after deadlock_timeout).
  const failures = (await Promise.allSettled([finishing, cancelling])).flatMap((settled) =>
    settled.status === "rejected" ? [String((settled.reason as { cause?: unknown }).cause ?? settled.reason)] : [],
  );
  expect(failures).toEqual([]);
  // Both decisions stand: b's head went out before the person's action reached it, the follower is cancelled.
  const states = await database.db.select({ id: deliveries.id, state: deliveries.state }).from(deliveries).orderBy(deliveries.id);
  expect(states).toEqual([
    { id: headA!.id, state: "delivered" },
    { id: follower!.id, state: "cancelled" },
    { id: headB!.id, state: "delivered" },
  ]);
});

test("a person's retry now while an attempt is in flight stands: the attempt failing past the old deadline does not time the delivery out", async () => {
  const order = storeOrder();
  expect((await callPartner("/pos/ordermake", order)).body).toEqual({ success: true });
  // Its window spent while the attempt is out: any retry of this attempt would fall past it.
  await database.db.execute(sql`update deliveries set deadline_at = now() where state = 'pending'`);
  const [claimed] = await claimDueDeliveries(database.db, { limit: 10, leaseMs: 60_000, targets: ["oms", "pos"] });
  // The partner is back; a person retries the retrying queue while this last attempt is still out.
  await retryDeliveriesNow(database.db, { selection: { ids: [claimed!.id] }, actor: "ops@example.com" });
  await finishAttempts(database.db, [{ ...delivered(claimed!), result: { kind: "answered", status: 500, bodyText: "" } }]);

  const [after] = await database.db.select().from(deliveries).where(eq(deliveries.id, claimed!.id));
  // The attempt is in the history; the person's fresh window decides, and the delivery goes again.
  expect(await database.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, claimed!.id))).toHaveLength(1);
  expect(after).toMatchObject({ state: "pending" });
  expect(after!.deadlineAt.getTime()).toBeGreaterThan(Date.now() + 60_000);
});

test("a person's retry now while an attempt is in flight does not undo that attempt getting through: delivered stands", async () => {
  const order = storeOrder();
  expect((await callPartner("/pos/ordermake", order)).body).toEqual({ success: true });
  const [claimed] = await claimDueDeliveries(database.db, { limit: 10, leaseMs: 60_000, targets: ["oms", "pos"] });
  await retryDeliveriesNow(database.db, { selection: { ids: [claimed!.id] }, actor: "ops@example.com" });
  await finishAttempts(database.db, [delivered(claimed!)]);

  const [after] = await database.db.select().from(deliveries).where(eq(deliveries.id, claimed!.id));
  // The other side has it: sending it again after the lease would only repeat it.
  expect(after).toMatchObject({ state: "delivered", leaseUntil: null });
});
