import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { liveConfig } from "@/server/settings/live-settings";

// SPEC §5: a delivery "retries until a deadline" — a window of
// DELIVERY_DEADLINE_SECONDS that counts only time it could actually be
// attempted. A delivery held behind an open head of its notice (head-of-line,
// delivery-filter.ts hasUnfinishedPredecessor) cannot be attempted, so its
// window starts again when it is let go: when its head is delivered (also
// after a person's retry or edit-and-resend), resolved (by a person or by a
// refused relayed void) or cancelled. Otherwise a follower held past its
// deadline would get one attempt and time out, waiting for a person though
// nobody ever let it retry. Every such release goes through this module.

/** The end of a full retry window starting at `now` (DELIVERY_DEADLINE_SECONDS, live). */
export const freshDeadline = (now: Date) => new Date(now.getTime() + liveConfig().DELIVERY_DEADLINE_SECONDS * 1000);

/**
 * The statement that gives every pending delivery queued behind `heads` a
 * full window, until `until` (a timestamptz: freshDeadline(now), as a value or
 * a placeholder of a statement built once). `heads` is a query yielding
 * (id, order_key) of heads just closed or delivered; a follower whose deadline
 * is already later keeps it. Returns the released ids (it also serves as a
 * data-modifying CTE: finish-attempt.ts).
 */
export function releaseFollowersStatement(heads: SQL, until: SQL): SQL {
  return sql`update ${deliveries} as follower set deadline_at = ${until}
    from (${heads}) as head (id, order_key)
    where follower.order_key = head.order_key and follower.id > head.id
      and follower.state = 'pending' and follower.deadline_at < ${until}
    returning follower.id`;
}

/** Releases the deliveries queued behind `heads`, which a person just closed (manual-actions.ts). */
export async function releaseFollowers(tx: Db, heads: { id: number; orderKey: string | null }[], now: Date): Promise<void> {
  const keyed = heads.filter((head): head is { id: number; orderKey: string } => head.orderKey !== null);
  if (keyed.length === 0) return;
  const ids = sql.param(keyed.map((head) => String(head.id)));
  const keys = sql.param(keyed.map((head) => head.orderKey));
  const until = sql`${freshDeadline(now).toISOString()}::timestamptz`;
  await tx.execute(releaseFollowersStatement(sql`select * from unnest(${ids}::text[]::bigint[], ${keys}::text[])`, until));
}
