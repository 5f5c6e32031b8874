import { and, asc, eq, inArray, isNull, lt, lte, not, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { deliveries } from "@/db/schema/deliveries";
import { hasUnfinishedPredecessor } from "@/server/delivery/delivery-filter";
import type { PartnerSide } from "@/server/contract/endpoints";

export type ClaimedDelivery = typeof deliveries.$inferSelect;

const now = sql.placeholder("now");

/**
 * The claim, built once (db/prepared-in-transaction.ts): the worker runs it
 * every round, and building it was a tenth of the worker's own CPU. Its text
 * does not depend on the call: the targets are one text[] parameter (`= any`,
 * not `in (…)`, whose length would change the text), the limit a parameter.
 */
const claim = preparedInTransaction("claim_due_deliveries", (db) => {
  const due = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.state, "pending"),
        lte(deliveries.nextAttemptAt, sql`${now}`),
        or(isNull(deliveries.leaseUntil), lt(deliveries.leaseUntil, sql`${now}`)),
        sql`${deliveries.target} = any(${sql.placeholder("targets")}::text[]::partner_side[])`,
        not(hasUnfinishedPredecessor),
      ),
    )
    .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.id))
    .limit(sql.placeholder("limit"))
    .for("update", { skipLocked: true });
  return db
    .update(deliveries)
    .set({ leaseUntil: sql`${sql.placeholder("leaseUntil")}`, attempts: sql`${deliveries.attempts} + 1` })
    .where(inArray(deliveries.id, due))
    .returning();
});

// The claim's transaction-local settings (why: below), built once as the claim is.
const claimSettings = preparedInTransaction("claim_settings", (db) =>
  db.execute(
    sql`select set_config('enable_sort', 'off', true), set_config('jit', 'off', true),
      set_config('enable_bitmapscan', 'off', true)`,
  ),
);

/**
 * Takes up to `limit` deliveries that are due, not leased, and at the head of
 * their notice's queue, in one statement. SKIP LOCKED lets any number of
 * processes claim side by side; the lease (attempt time limit plus slack)
 * returns a delivery to the pool if its claimer dies mid-attempt.
 */
export async function claimDueDeliveries(
  db: Db,
  input: { limit: number; leaseMs: number; targets: PartnerSide[]; now?: Date },
): Promise<ClaimedDelivery[]> {
  if (input.limit <= 0 || input.targets.length === 0) return [];
  const at = input.now ?? new Date();
  return db.transaction(async (tx) => {
    // The walk must follow `deliveries_pending_due (next_attempt_at, id)` and
    // stop at `limit`. Right after a burst (an outage healing, a backlog
    // arriving) the table's statistics lag, and the planner would rather sort
    // every pending row for each claim: 25 ms with 20 000 queued instead of
    // 0.2 ms. Forbidding the sort keeps the claim cheap whatever the statistics say.
    // A sort the planner cannot avoid then costs 10^10, far past jit_above_cost:
    // PostgreSQL would JIT-compile the claim with inlining and optimisation (tens
    // of ms a claim, more on a busy machine) exactly when statistics are stale —
    // a fresh database, a burst. A claim of 16 rows never gains from JIT.
    // Stale statistics also made the head-of-line check AND two bitmaps, its
    // notice's (order_key) and every open delivery's (deliveries_by_state_created):
    // each candidate read the whole pending set, 10 ms a claim with 20 000
    // queued, a third of the drain rate (bench/findings.md). Without bitmaps it
    // reads its notice's few rows (test: claim-plan.test.ts).
    await claimSettings.run(tx);
    return claim.run(tx, { now: at, limit: input.limit, targets: input.targets, leaseUntil: new Date(at.getTime() + input.leaseMs) });
  });
}
