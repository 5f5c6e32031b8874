import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { notices } from "@/db/schema/notices";
import { openDeliveryStates } from "@/lib/states";
import { deliveryRowColumns } from "@/server/delivery/delivery-row";

/**
 * Head-of-line (SPEC §5, §8): the open deliveries at the head of their notice's
 * queue that hold later ones back, with how many each holds, most first. A
 * notice's head is its earliest open delivery; everything open after it waits.
 * One pass over the open deliveries grouped by order key, cheap because open
 * ones are few next to delivered ones. Optional `target` / `path` narrow the heads.
 * Returns rows of deliveryRowColumns (delivery-row.ts) with `blocks`.
 */
export async function listBlockingHeads(db: Db, input: { limit?: number; target?: "pos" | "oms"; path?: string } = {}) {
  const queues = db
    .select({
      orderKey: deliveries.orderKey,
      headId: sql<number>`min(${deliveries.id})`.as("head_id"),
      blocks: sql<number>`count(*) - 1`.as("blocks"),
    })
    .from(deliveries)
    .where(and(inArray(deliveries.state, [...openDeliveryStates]), isNotNull(deliveries.orderKey)))
    .groupBy(deliveries.orderKey)
    .having(sql`count(*) > 1`)
    .as("queues");
  const rows = await db
    .select({ ...deliveryRowColumns, blocks: sql<number>`${queues.blocks}`.mapWith(Number) })
    .from(queues)
    .innerJoin(deliveries, eq(deliveries.id, queues.headId))
    .leftJoin(notices, eq(notices.id, deliveries.noticeId))
    .where(
      and(input.target ? eq(deliveries.target, input.target) : undefined, input.path ? eq(deliveries.path, input.path) : undefined),
    )
    .orderBy(desc(queues.blocks), deliveries.id)
    .limit(input.limit ?? 20);
  return rows;
}

/**
 * How many deliveries each of these (open, head) deliveries holds back, by id:
 * later open deliveries of the same notice. For the list's "blocks N" column.
 */
export async function countHeldBack(db: Db, heads: { id: number; orderKey: string | null }[]): Promise<Map<number, number>> {
  const keyed = heads.filter((head) => head.orderKey !== null);
  if (keyed.length === 0) return new Map();
  const rows = await db
    .select({ orderKey: deliveries.orderKey, id: deliveries.id })
    .from(deliveries)
    .where(and(inArray(deliveries.orderKey, [...new Set(keyed.map((head) => head.orderKey!))]), inArray(deliveries.state, [...openDeliveryStates])));
  const counts = new Map<number, number>();
  for (const head of keyed) {
    counts.set(head.id, rows.filter((row) => row.orderKey === head.orderKey && row.id > head.id).length);
  }
  return counts;
}
