import { eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { describeWithPostgres } from "@/test/postgres-server";
import { deliveries, deliveryAttempts } from "@/db/schema/deliveries";
import { claimDueDeliveries } from "@/server/delivery/claim-deliveries";
import { finishAttempts, type FinishedAttempt } from "@/server/delivery/finish-attempt";
import { retryDeliveriesNow } from "@/server/delivery/manual-actions";
import { useTestDatabase } from "@/test/database";
import { callPartner } from "@/test/partner-client";
import { storeOrder } from "@/test/partner/messages";

// A person's action while an attempt is in flight, and the attempt's outcome:
// which one stands (finish-attempt.ts).

// PostgreSQL itself: the embedded database runs one statement at a time and cannot wait on a lock.
describeWithPostgres("a person acting while an attempt is in flight", () => {
  const database = useTestDatabase({ server: true });

  const delivered = (delivery: FinishedAttempt["delivery"]): FinishedAttempt => ({
    delivery,
    url: "http://partner.test",
    startedAt: new Date(),
    durationMs: 5,
    result: { kind: "answered", status: 200, bodyText: '{"success":true}' },
    worker: "test",
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
});
