import { and, asc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries, deliveryActions, deliveryAttempts } from "@/db/schema/deliveries";
import { openDeliveryStates } from "@/lib/states";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { recountProblemsOf } from "@/server/problems/apply-problems";

// Built once (db/prepared-in-transaction.ts): every accepted void runs the first, most the next two.
const openCreation = preparedInTransaction("void_open_creation", (db) =>
  db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.noticeId, sql.placeholder("noticeId")),
        inArray(deliveries.state, [...openDeliveryStates]),
        or(isNull(deliveries.leaseUntil), lt(deliveries.leaseUntil, sql.placeholder("now"))),
      ),
    )
    .orderBy(asc(deliveries.id))
    .limit(1)
    .for("update"),
);

const firstDelivery = preparedInTransaction("void_first_delivery", (db) =>
  db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.noticeId, sql.placeholder("noticeId"))).orderBy(asc(deliveries.id)).limit(1),
);

const attemptMayHaveArrived = preparedInTransaction("void_attempt_arrived", (db) =>
  db
    .select({ id: deliveryAttempts.id })
    .from(deliveryAttempts)
    .where(and(eq(deliveryAttempts.deliveryId, sql.placeholder("deliveryId")), sql`${deliveryAttempts.mayHaveArrived}`))
    .limit(1),
);

/**
 * SPEC §4: a void for a notice whose creation never reached the other side
 * cancels both and bothers nobody. "Never reached" must be certain: the
 * creation is not in flight, and no attempt of it may have arrived (a timeout
 * may have come after the other side stored it). Returns true when it cancelled.
 */
export async function cancelNoticeTheOtherSideNeverSaw(tx: Db, input: { noticeId: number; now: Date }): Promise<boolean> {
  const [creation] = await openCreation.run(tx, { noticeId: input.noticeId, now: input.now });
  if (!creation) return false;
  const [first] = await firstDelivery.run(tx, { noticeId: input.noticeId });
  if (first?.id !== creation.id) return false; // the creation itself was delivered (or closed by a person)
  const [arrived] = await attemptMayHaveArrived.run(tx, { deliveryId: creation.id });
  if (arrived) return false;

  const open = await tx
    .select({ id: deliveries.id, state: deliveries.state })
    .from(deliveries)
    .where(and(eq(deliveries.noticeId, input.noticeId), inArray(deliveries.state, [...openDeliveryStates])))
    .for("update");
  await tx
    .update(deliveries)
    .set({ state: "cancelled", finishedAt: input.now, leaseUntil: null })
    .where(inArray(deliveries.id, open.map((row) => row.id)));
  await tx.insert(deliveryActions).values(
    open.map((row) => ({
      deliveryId: row.id,
      action: "auto_cancel" as const,
      actor: "hub",
      note: "通知单作废时对方尚未收到: 不再发送 (voided before the other side ever received the notice)",
      stateBefore: row.state,
      stateAfter: "cancelled" as const,
      createdAt: input.now,
    })),
  );
  await recountProblemsOf(tx, open.map((row) => row.id), input.now);
  return true;
}
