import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { getHubDatabase } from "@/db/client";
import { deliveries, deliveryAttempts } from "@/db/schema/deliveries";
import { startDeliveryWorker, type DeliveryWorker } from "@/server/delivery/delivery-worker";
import { deliveriesOf, waitForDeliveryState } from "@/test/delivery/harness";
import { callPartner } from "@/test/partner-client";
import { storeOrder } from "@/test/partner/messages";
import { SOAK, startTraffic, useCluster, waitForMoreAccepted, waitUntilAllDelivered } from "@/test/reliability/cluster";
import { describeWithPostgres } from "@/test/postgres-server";

// Someone's transaction (a stuck report, a console left open) holds a row lock
// on one delivery and its notice for a long time: the rest of the outbox keeps
// moving around it, and the locked one goes as soon as the lock is gone.

// Calls accepted and delivered while the lock is held: the hold lasts until they are, not for a set time.
const CALLS_WHILE_LOCKED = SOAK ? 1200 : 200;

describeWithPostgres("a transaction holding row locks for a long time", () => {
  const cluster = useCluster();
  let worker: DeliveryWorker;

  beforeAll(async () => {
    worker = await startDeliveryWorker({ hub: await getHubDatabase(), pollMs: 500, id: "lock-worker" });
  });
  afterAll(async () => {
    await worker?.stop();
  });

  test(`locks held on one delivery and one notice while ${CALLS_WHILE_LOCKED} other calls are accepted and delivered`, async () => {
    const { db } = cluster.database;
    // The locked delivery is waiting for a retry when the lock is taken.
    cluster.oms.setBehaviourFor("/pos/ordermake", { kind: "status", status: 503 });
    const stuck = storeOrder();
    await callPartner("/pos/ordermake", stuck);
    await expect
      .poll(async () => (await deliveriesOf(db, stuck.dispatchNO))[0], { timeout: 10_000 })
      .toMatchObject({ state: "pending", attempts: 1, leaseUntil: null });
    const [failedOnce] = await deliveriesOf(db, stuck.dispatchNO);
    cluster.oms.setBehaviourFor("/pos/ordermake", null);

    const holder = postgres(cluster.database.url!, { max: 1, onnotice: () => {} });
    let releaseLock!: () => void;
    const released = new Promise<void>((resolve) => (releaseLock = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holding = holder.begin(async (tx) => {
      await tx`select id from deliveries where id = ${failedOnce!.id} for update`;
      await tx`select id from notices where dispatch_no = ${stuck.dispatchNO} for update`;
      locked();
      await released;
    });
    await lockTaken;
    // Its retry falls due while the lock is held: from then on every claim would take it first (oldest due first), were it not locked.
    await expect.poll(async () => (await dueCount(failedOnce!.id)) === 1, { timeout: 30_000, interval: 100 }).toBe(true);

    const traffic = startTraffic({ perSecond: 20 });
    await waitForMoreAccepted(traffic.records, CALLS_WHILE_LOCKED, 120_000);
    const records = await traffic.stop();
    // Every other call accepted was delivered while the lock was held (a call turned away busy, 503, is not stored: nothing to deliver).
    await waitUntilAllDeliveredBut(failedOnce!.id, 60_000);
    const [attemptsWhileLocked] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(deliveryAttempts)
      .where(eq(deliveryAttempts.deliveryId, failedOnce!.id));
    expect(attemptsWhileLocked!.n).toBe(1);

    releaseLock();
    await holding;
    await holder.end();
    // …and the locked one goes once the lock is gone.
    await waitForDeliveryState(db, { dispatchNo: stuck.dispatchNO, path: "/pos/ordermake" }, "delivered", 15_000);
    await waitUntilAllDelivered(db, 15_000);
    console.log(`held lock: ${records.length} calls accepted and delivered around a locked delivery`);

    async function dueCount(id: number) {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(deliveries)
        .where(sql`${deliveries.id} = ${id} and ${deliveries.state} = 'pending' and ${deliveries.nextAttemptAt} <= now()`);
      return row!.n;
    }

    async function waitUntilAllDeliveredBut(lockedId: number, timeoutMs: number) {
      await expect
        .poll(async () => (await db.select({ id: deliveries.id }).from(deliveries).where(sql`${deliveries.state} <> 'delivered'`)).map((row) => row.id), { timeout: timeoutMs, interval: 250 })
        .toEqual([lockedId]);
    }
  }, SOAK ? 600_000 : 240_000);
});
