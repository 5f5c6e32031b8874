import { and, asc, count, desc, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { deliveries, deliveryActions, deliveryAttempts } from "@/db/schema/deliveries";
import { notices } from "@/db/schema/notices";
import { HubError } from "@/server/errors";
import { deliveryConditions, deliveryFilterSchema, openStatesList, type DeliveryFilter } from "@/server/delivery/delivery-filter";
import { COUNT_BOUND } from "@/lib/bounded-count";
import { deliveryQueues, type DeliveryQueue } from "@/lib/delivery-queues";
import { openDeliveryStates } from "@/lib/states";
import { countHeldBack } from "@/server/delivery/blocking-heads";
import { deliveryRowColumns } from "@/server/delivery/delivery-row";
import { keysetPage } from "@/server/dashboard/keyset";

/**
 * The earliest unfinished delivery of the same notice: the head that holds this
 * one back (null when none). The outer columns are spelled out because drizzle
 * leaves them unqualified in a select list, where they would mean `head`'s own.
 */
export const blockingHead = sql<number | null>`(
  select min(head.id) from deliveries as head
  where head.order_key = deliveries.order_key
    and head.id < deliveries.id
    and head.state in ${openStatesList}
)`.mapWith((value: unknown) => (value === null ? null : Number(value)));

export const deliveryListSchema = z.object({
  filter: deliveryFilterSchema.default({}),
  /** The nextCursor of the page before: rows with a lower id (keyset, server/dashboard/keyset.ts). */
  before: z.number().int().positive().optional(),
  pageSize: z.number().int().min(1).max(200).default(50),
});

/**
 * One page of deliveries, newest first; payloads stay out of the list (see
 * getDelivery). `nextCursor` is the `before` of the next page, null on the last.
 */
export async function listDeliveries(db: Db, params: z.input<typeof deliveryListSchema>) {
  const { filter, before, pageSize } = deliveryListSchema.parse(params);
  const rows = await db
    .select({ ...deliveryRowColumns, orderKey: deliveries.orderKey, blockedBy: blockingHead })
    .from(deliveries)
    .leftJoin(notices, eq(notices.id, deliveries.noticeId))
    .where(and(deliveryConditions(filter), before ? lt(deliveries.id, before) : undefined))
    .orderBy(desc(deliveries.id))
    .limit(pageSize + 1);
  const { rows: pageRows, nextCursor } = keysetPage(rows, pageSize, (row) => row.id);
  // Head-of-line: an open delivery nothing holds back says how many it holds back itself.
  const heads = pageRows.filter((row) => row.blockedBy === null && (openDeliveryStates as readonly string[]).includes(row.state));
  const held = await countHeldBack(db, heads);
  return {
    rows: pageRows.map(({ orderKey: _orderKey, ...row }) => ({ ...row, blocks: held.get(row.id) ?? 0 })),
    nextCursor,
    pageSize,
  };
}

/**
 * How many deliveries sit in each queue, under the same filter (its own queue
 * aside): exact up to COUNT_BOUND, COUNT_BOUND + 1 meaning "more"
 * (formatBoundedCount shows it as "10,000+"). Each count reads at most that many
 * rows, so a page refresh costs the same at a million deliveries as at twenty
 * thousand (bench: `npm run bench -- --only counts`).
 */
export async function countDeliveryQueues(db: Db, filter: DeliveryFilter) {
  const { queue: _ignored, ...rest } = filter;
  // One count per queue, each in WHERE: there drizzle qualifies the columns the
  // queue conditions' subqueries compare against (in a select list it would not).
  const counts = await Promise.all(
    deliveryQueues.map(async (queue) => {
      const capped = db
        .select({ one: sql`1` })
        .from(deliveries)
        .where(deliveryConditions({ ...rest, queue }))
        .limit(COUNT_BOUND + 1)
        .as("capped");
      const [row] = await db.select({ n: count() }).from(capped);
      return [queue, row?.n ?? 0] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<DeliveryQueue, number>;
}

/** One delivery with its payload, every attempt and every manual action, for the detail panel and edit & resend. */
export async function getDelivery(db: Db, id: number) {
  const [row] = await db
    .select({ delivery: deliveries, dispatchNo: notices.dispatchNo, blockedBy: blockingHead })
    .from(deliveries)
    .leftJoin(notices, eq(notices.id, deliveries.noticeId))
    .where(eq(deliveries.id, id));
  if (!row) throw new HubError("not_found", `投递不存在 (no delivery #${id})`);
  const [attempts, actions] = await Promise.all([
    db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, id)).orderBy(asc(deliveryAttempts.attemptNo)),
    db.select().from(deliveryActions).where(eq(deliveryActions.deliveryId, id)).orderBy(asc(deliveryActions.createdAt)),
  ]);
  return { ...row.delivery, dispatchNo: row.dispatchNo, blockedBy: row.blockedBy, attempts, actions };
}
