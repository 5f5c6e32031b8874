import { and, asc, desc, eq, gt, inArray, notInArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { deliveries, deliveryActions, deliveryAttempts } from "@/db/schema/deliveries";
import { exchanges } from "@/db/schema/exchanges";
import { notices } from "@/db/schema/notices";
import { blockingHead } from "@/server/dashboard/list-deliveries";
import { HubError } from "@/server/errors";

/** Outcomes of calls the hub refused (401/403/400/413…): logged, never part of a notice's story. */
export const REFUSED_OUTCOMES = ["invalid", "unauthorized"] as const;

/** Calls per page of the timeline: a notice with 10 000 calls opens with this many, "show older" adds as many again. */
export const TIMELINE_PAGE_SIZE = 30;

export const noticeTimelineSchema = z.object({
  id: z.number().int().positive(),
  /** Only the groups whose call was refused or whose delivery failed (rejected, timed out, retrying). */
  onlyProblems: z.boolean().default(false),
  limit: z.number().int().min(1).max(100).default(TIMELINE_PAGE_SIZE),
  /** The last group of the previous page (keyset): its call's received time and id. */
  cursor: z.object({ at: z.date(), id: z.uuid() }).nullish(),
});
export type NoticeTimelineQuery = z.input<typeof noticeTimelineSchema>;

/**
 * A delivery that failed and is not settled: refused by the other side,
 * timed out, or being retried after a failed attempt. What "only problems" keeps.
 */
export function deliveryHasProblem(delivery: { state: string; attempts: number }): boolean {
  return delivery.state === "rejected" || delivery.state === "timed_out" || (delivery.state === "pending" && delivery.attempts > 0);
}
// The same rule for a delivery aliased `d` in SQL (the "only problems" filter).
const deliveryHasProblemSql = sql.raw(`(d.state in ('rejected', 'timed_out') or (d.state = 'pending' and d.attempts > 0))`);

/**
 * One page of a notice's timeline, newest call first, each inbound call grouped
 * with the delivery it produced (deliveries.exchange_id), that delivery's
 * attempts and the actions people took on it (issue 12: a flat timeline of a
 * six-step order was 1 900 px). Keyset-paginated on (received_at, id), so a
 * notice with 10 000 calls reads `limit` calls, not all of them. Deliveries
 * whose call is no longer in the log (past LOG_RETENTION_DAYS) come as groups
 * without a call on the first page.
 * @returns `{ groups, nextCursor }`; nextCursor null on the last page.
 * @throws HubError not_found for an unknown notice.
 */
export async function listNoticeTimeline(db: Db, query: z.output<typeof noticeTimelineSchema>) {
  const { id, onlyProblems, limit, cursor } = query;
  const [notice] = await db.select({ dispatchNo: notices.dispatchNo }).from(notices).where(eq(notices.id, id));
  if (!notice) throw new HubError("not_found", `通知单不存在 (no notice #${id})`);

  const conditions: SQL[] = [
    // Authenticated calls that named the notice before it existed carry its dispatchNo without its id.
    or(eq(exchanges.noticeId, id), eq(exchanges.dispatchNo, notice.dispatchNo))!,
    notInArray(exchanges.outcome, [...REFUSED_OUTCOMES]),
  ];
  // received_at is written from the app's clock (ms), so the cursor's Date loses nothing.
  if (cursor) conditions.push(sql`(${exchanges.receivedAt}, ${exchanges.id}) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id}::uuid)`);
  if (onlyProblems) {
    conditions.push(
      or(
        eq(exchanges.outcome, "rejected"),
        sql`exists (select 1 from deliveries d where d.notice_id = ${id} and d.exchange_id = ${exchanges.id} and ${deliveryHasProblemSql})`,
      )!,
    );
  }
  const calls = await db
    .select()
    .from(exchanges)
    .where(and(...conditions))
    .orderBy(desc(exchanges.receivedAt), desc(exchanges.id))
    .limit(limit + 1);
  const more = calls.length > limit;
  const page = calls.slice(0, limit);

  const callIds = page.map((call) => call.id);
  const linked = callIds.length
    ? await db
        .select({ delivery: deliveries, blockedBy: blockingHead })
        .from(deliveries)
        .where(and(eq(deliveries.noticeId, id), inArray(deliveries.exchangeId, callIds)))
        .orderBy(asc(deliveries.id))
    : [];
  // Deliveries whose call was dropped with its month's log partition: shown once, on the first page.
  const orphans = cursor
    ? []
    : await db
        .select({ delivery: deliveries, blockedBy: blockingHead })
        .from(deliveries)
        .where(
          and(
            eq(deliveries.noticeId, id),
            sql`not exists (select 1 from exchanges e where e.id = ${deliveries.exchangeId})`,
            onlyProblems
              ? or(inArray(deliveries.state, ["rejected", "timed_out"]), and(eq(deliveries.state, "pending"), gt(deliveries.attempts, 0)))
              : undefined,
          ),
        )
        .orderBy(desc(deliveries.id));
  const deliveryIds = [...linked, ...orphans].map((row) => row.delivery.id);
  const [attempts, actions] = deliveryIds.length
    ? await Promise.all([
        db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, deliveryIds)).orderBy(asc(deliveryAttempts.attemptNo)),
        db.select().from(deliveryActions).where(inArray(deliveryActions.deliveryId, deliveryIds)).orderBy(asc(deliveryActions.createdAt)),
      ])
    : [[], []];

  const deliveryView = ({ delivery, blockedBy }: (typeof linked)[number]) => ({
    delivery: { ...delivery, blockedBy },
    attempts: attempts.filter((attempt) => attempt.deliveryId === delivery.id),
    actions: actions.filter((action) => action.deliveryId === delivery.id),
  });
  const groups = [
    ...page.map((call) => {
      const produced = linked.filter((row) => row.delivery.exchangeId === call.id).map(deliveryView);
      return {
        key: `call-${call.id}`,
        at: call.receivedAt,
        call: { ...call, headers: JSON.stringify(call.headers), responseBody: JSON.stringify(call.responseBody) },
        deliveries: produced,
        hasProblem: call.outcome === "rejected" || produced.some((row) => deliveryHasProblem(row.delivery)),
      };
    }),
    ...orphans.map((row) => ({
      key: `delivery-${row.delivery.id}`,
      at: row.delivery.createdAt,
      call: null,
      deliveries: [deliveryView(row)],
      hasProblem: deliveryHasProblem(row.delivery),
    })),
  ];
  const last = page.at(-1);
  return { groups, nextCursor: more && last ? { at: last.receivedAt, id: last.id } : null };
}
export type NoticeTimelinePage = Awaited<ReturnType<typeof listNoticeTimeline>>;
export type TimelineGroup = NoticeTimelinePage["groups"][number];
