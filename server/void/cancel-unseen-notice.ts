import { and, asc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries, deliveryActions } from "@/db/schema/deliveries";
import { openDeliveryStates } from "@/lib/states";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { recountProblemsOf } from "@/server/problems/apply-problems";
import { neverReachedTheOtherSide } from "@/server/delivery/may-have-arrived";

// Built once (db/prepared-in-transaction.ts): every accepted void runs the first, most the next.
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

// The cancel itself, built once too (issue 13): rare, but a partner call's path. Its deliveries, any
// number, travel as one JSON array of {id, state} (db/prepared-in-transaction.ts).
const openOfNotice = preparedInTransaction("void_cancel_open", (db) =>
  db
    .select({ id: deliveries.id, state: deliveries.state })
    .from(deliveries)
    .where(and(eq(deliveries.noticeId, sql.placeholder("noticeId")), inArray(deliveries.state, [...openDeliveryStates])))
    .for("update"),
);

const cancelled = sql`(select id from jsonb_to_recordset(${sql.placeholder("rows")}::jsonb) as cancelled(id bigint))`;

const cancelOpen = preparedInTransaction("void_cancel_deliveries", (db) =>
  db
    .update(deliveries)
    .set({ state: "cancelled", finishedAt: sql`${sql.placeholder("now")}`, leaseUntil: null })
    .where(inArray(deliveries.id, cancelled)),
);

/** What the action log says about a delivery the void rule cancelled (zh, then en). */
const AUTO_CANCEL_NOTE = "通知单作废时对方尚未收到: 不再发送 (voided before the other side ever received the notice)";

const recordAutoCancel = preparedInTransaction("void_cancel_actions", (db) =>
  db.execute(sql`
    insert into ${deliveryActions} (delivery_id, action, actor, note, state_before, state_after, created_at)
    select id, 'auto_cancel', 'hub', ${AUTO_CANCEL_NOTE}, state, 'cancelled', ${sql.placeholder("now")}::timestamptz
    from jsonb_to_recordset(${sql.placeholder("rows")}::jsonb) as cancelled(id bigint, state delivery_state)`),
);

/**
 * SPEC §4: a void for a notice whose creation never reached the other side
 * cancels both and bothers nobody. "Never reached" must be certain: the
 * creation is not in flight, and no attempt of it may have arrived — the rule
 * is server/delivery/may-have-arrived.ts (any HTTP answer or a failure after
 * connecting may have arrived). Returns true when it cancelled.
 */
export async function cancelNoticeTheOtherSideNeverSaw(tx: Db, input: { noticeId: number; now: Date }): Promise<boolean> {
  const [creation] = await openCreation.run(tx, { noticeId: input.noticeId, now: input.now });
  if (!creation) return false;
  const [first] = await firstDelivery.run(tx, { noticeId: input.noticeId });
  if (first?.id !== creation.id) return false; // the creation itself was delivered (or closed by a person)
  if (!(await neverReachedTheOtherSide(tx, creation.id))) return false;

  const open = await openOfNotice.run(tx, { noticeId: input.noticeId });
  const rows = JSON.stringify(open);
  await cancelOpen.run(tx, { rows, now: input.now });
  await recordAutoCancel.run(tx, { rows, now: input.now });
  await recountProblemsOf(tx, open.map((row) => row.id), input.now);
  return true;
}
