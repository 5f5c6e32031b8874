import { and, asc, eq, inArray, isNull, lt, lte, not, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { hasUnfinishedPredecessor } from "@/server/delivery/delivery-filter";
import type { PartnerSide } from "@/server/partner/endpoints";

export type ClaimedDelivery = typeof deliveries.$inferSelect;

/**
 * Takes up to `limit` deliveries that are due, not leased, and at the head of
 * their notice's queue, in one statement. SKIP LOCKED lets any number of
 * processes claim side by side; the lease (attempt time limit plus slack)
 * returns a delivery to the pool if its claimer dies mid-attempt. The walk
 * follows `deliveries_pending_due (next_attempt_at, id)` and stops at `limit`.
 */
export async function claimDueDeliveries(
  db: Db,
  input: { limit: number; leaseMs: number; targets: PartnerSide[]; now?: Date },
): Promise<ClaimedDelivery[]> {
  if (input.limit <= 0 || input.targets.length === 0) return [];
  const now = input.now ?? new Date();
  const due = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.state, "pending"),
        lte(deliveries.nextAttemptAt, now),
        or(isNull(deliveries.leaseUntil), lt(deliveries.leaseUntil, now)),
        inArray(deliveries.target, input.targets),
        not(hasUnfinishedPredecessor),
      ),
    )
    .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.id))
    .limit(input.limit)
    .for("update", { skipLocked: true });
  return db
    .update(deliveries)
    .set({ leaseUntil: new Date(now.getTime() + input.leaseMs), attempts: sql`${deliveries.attempts} + 1` })
    .where(inArray(deliveries.id, due))
    .returning();
}
