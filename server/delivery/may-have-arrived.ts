import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { deliveryAttempts } from "@/db/schema/deliveries";
import type { AttemptResult } from "@/server/delivery/retry-policy";

// The one place that judges whether the other side may hold what an attempt
// sent. SPEC §4: "a void for a notice whose creation was never delivered
// cancels both deliveries and bothers nobody" — and only then. Collapsing a
// void whose creation the other side did store leaves it an order nobody
// will ever cancel, so "never delivered" must be proven, never presumed:
//
// - Any HTTP answer means the request was read. The seed names one refusal,
//   200 with success:false, and a refused creation (发货通知单号重复) says the
//   other side has one; every other status is "重试直至超时人工处理", not
//   "stored nothing". A 500 may come after the order was stored, a gateway's
//   502 / 504 after its upstream stored it, a 4xx from a proxy or a partner's
//   own validation says nothing about what is behind it.
// - A failure after the connection was open (a timeout waiting for the
//   answer, a reset) may come after the body was stored.
// - Only a failure before any connection (refused, DNS, connect timeout,
//   send-delivery.ts `connected: false`) provably never carried the body.
//
// Each attempt's judgement is recorded (delivery_attempts.may_have_arrived,
// finish-attempt.ts); the void reads it (server/void/cancel-unseen-notice.ts).

/** Whether the body of this attempt may have reached the other side (see above). */
export function attemptMayHaveArrived(result: AttemptResult): boolean {
  if (result.kind === "answered") return true;
  return result.connected;
}

// Built once (db/prepared-in-transaction.ts): most accepted voids run it.
const anyAttemptMayHaveArrived = preparedInTransaction("void_attempt_arrived", (db) =>
  db
    .select({ id: deliveryAttempts.id })
    .from(deliveryAttempts)
    .where(and(eq(deliveryAttempts.deliveryId, sql.placeholder("deliveryId")), sql`${deliveryAttempts.mayHaveArrived}`))
    .limit(1),
);

/**
 * True when no recorded attempt of the delivery may have reached the other
 * side: none was made, or every one failed before a connection was open. The
 * caller makes sure no attempt is in flight (a leased delivery).
 */
export async function neverReachedTheOtherSide(tx: Db, deliveryId: number): Promise<boolean> {
  const [arrived] = await anyAttemptMayHaveArrived.run(tx, { deliveryId });
  return arrived === undefined;
}
