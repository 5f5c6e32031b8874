import { and, eq, gt, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { safeDate, safeText } from "@/server/input-guard";
import { deliveries } from "@/db/schema/deliveries";
import { notices } from "@/db/schema/notices";
import { sameCode } from "@/db/fold-code";
import { deliveryQueues, type DeliveryQueue } from "@/lib/delivery-queues";
import { openDeliveryStates, partnerSides } from "@/lib/states";


/** One filter for listing, counting and acting on deliveries, shared by the dashboard and the manual actions. */
export const deliveryFilterSchema = z.object({
  ids: z.array(z.number().int().positive()).max(10_000).optional(),
  queue: z.enum(deliveryQueues).optional(),
  target: z.enum(partnerSides).optional(),
  path: safeText(64, { trim: false }).optional(),
  shopCode: safeText(64, { trim: false }).optional(),
  noticeId: z.number().int().positive().optional(),
  /** Deliveries in this problem (server/problems): what the problem's page lists and its group actions act on. */
  problemId: z.number().int().positive().optional(),
  /** The deliveries this head holds back: later ones of its notice, still open. */
  blockedBy: z.number().int().positive().optional(),
  /** This head and the deliveries it holds back: what "act on a head and what it blocks" acts on. */
  headOf: z.number().int().positive().optional(),
  /** Accepted at least this many minutes ago. */
  olderThanMinutes: z.number().int().min(0).max(60 * 24 * 365).optional(),
  createdFrom: safeDate().optional(),
  createdTo: safeDate().optional(),
});
export type DeliveryFilter = z.infer<typeof deliveryFilterSchema>;

/** `('pending', 'rejected', 'timed_out')`, for the correlated subqueries that name `head` themselves. */
export const openStatesList = sql.raw(`(${openDeliveryStates.map((state) => `'${state}'`).join(", ")})`);

/** An earlier delivery of the same notice that has not reached a final state holds this one back. */
export const hasUnfinishedPredecessor = sql`exists (
  select 1 from deliveries as head
  where head.order_key = ${deliveries.orderKey}
    and head.id < ${deliveries.id}
    and head.state in ${openStatesList}
)`;

function queueCondition(queue: DeliveryQueue): SQL {
  switch (queue) {
    case "queued":
      return and(eq(deliveries.state, "pending"), eq(deliveries.attempts, 0), sql`not ${hasUnfinishedPredecessor}`)!;
    case "retrying":
      return and(eq(deliveries.state, "pending"), sql`${deliveries.attempts} > 0`, sql`not ${hasUnfinishedPredecessor}`)!;
    case "blocked":
      return and(eq(deliveries.state, "pending"), hasUnfinishedPredecessor)!;
    default:
      return eq(deliveries.state, queue);
  }
}

/**
 * Deliveries of the head's notice after it (`after`), or from it on (`from`),
 * still open. A follower counts as held back while the head is open; once the
 * head is closed the filter still names the notice's later open deliveries.
 */
function heldBackBy(headId: number, from: "after" | "from"): SQL {
  return and(
    sql`${deliveries.orderKey} = (select head.order_key from deliveries as head where head.id = ${headId})`,
    from === "after" ? gt(deliveries.id, headId) : gte(deliveries.id, headId),
    inArray(deliveries.state, [...openDeliveryStates]),
  )!;
}

export function deliveryConditions(filter: DeliveryFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [
    filter.ids ? inArray(deliveries.id, filter.ids) : undefined,
    filter.queue ? queueCondition(filter.queue) : undefined,
    filter.target ? eq(deliveries.target, filter.target) : undefined,
    filter.path ? eq(deliveries.path, filter.path) : undefined,
    filter.noticeId ? eq(deliveries.noticeId, filter.noticeId) : undefined,
    filter.problemId ? eq(deliveries.problemId, filter.problemId) : undefined,
    filter.blockedBy ? heldBackBy(filter.blockedBy, "after") : undefined,
    filter.headOf ? heldBackBy(filter.headOf, "from") : undefined,
    // Typed by a person (`s001`, `Ｓ００１`). Shop codes are the retailer's own, stored upper case as its
    // POS configures them, so the plain form (typed or folded) finds them on notices_by_shop_created.
    filter.shopCode
      ? inArray(deliveries.noticeId, sql`(select ${notices.id} from ${notices} where ${sameCode(notices.shopCode, filter.shopCode, "plain")})`)
      : undefined,
    filter.olderThanMinutes !== undefined
      ? lte(deliveries.createdAt, sql`now() - make_interval(mins => ${filter.olderThanMinutes})`)
      : undefined,
    filter.createdFrom ? gte(deliveries.createdAt, filter.createdFrom) : undefined,
    filter.createdTo ? lte(deliveries.createdAt, filter.createdTo) : undefined,
  ];
  return and(...conditions);
}
