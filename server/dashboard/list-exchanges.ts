import { and, desc, eq, gte, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { safeDate, safeText } from "@/server/api/input-guard";
import type { Db } from "@/db/client";
import { attemptOutcome, deliveries, deliveryAttempts } from "@/db/schema/deliveries";
import { exchangeOutcome, exchanges } from "@/db/schema/exchanges";
import { notices } from "@/db/schema/notices";

const common = {
  path: safeText(64).optional(),
  dispatchNo: safeText(64).optional(),
  from: safeDate().optional(),
  to: safeDate().optional(),
  page: z.number().int().min(0).max(10_000).default(0),
  pageSize: z.number().int().min(1).max(200).default(50),
};

export const inboundLogSchema = z.object({ ...common, side: z.enum(["pos", "oms"]).optional(), outcome: z.enum(exchangeOutcome.enumValues).optional() });
export const outboundLogSchema = z.object({ ...common, target: z.enum(["pos", "oms"]).optional(), outcome: z.enum(attemptOutcome.enumValues).optional() });

const page = <T>(rows: T[], size: number) => ({ rows: rows.slice(0, size), hasMore: rows.length > size });

/** Every call partners made to the hub, newest first, bodies as text. */
export async function listInboundExchanges(db: Db, params: z.input<typeof inboundLogSchema>) {
  const query = inboundLogSchema.parse(params);
  const rows = await db
    .select()
    .from(exchanges)
    .where(
      and(
        query.side ? eq(exchanges.side, query.side) : undefined,
        query.path ? eq(exchanges.path, query.path) : undefined,
        query.outcome ? eq(exchanges.outcome, query.outcome) : undefined,
        // Refused calls keep the dispatchNO they named apart (claimed, unverified): ops still find them here.
        query.dispatchNo ? or(eq(exchanges.dispatchNo, query.dispatchNo), eq(exchanges.claimedDispatchNo, query.dispatchNo)) : undefined,
        query.from ? gte(exchanges.receivedAt, query.from) : undefined,
        query.to ? lt(exchanges.receivedAt, query.to) : undefined,
      ),
    )
    .orderBy(desc(exchanges.receivedAt), desc(exchanges.id))
    .limit(query.pageSize + 1)
    .offset(query.page * query.pageSize);
  return page(
    rows.map((row) => ({ ...row, headers: JSON.stringify(row.headers), responseBody: JSON.stringify(row.responseBody) })),
    query.pageSize,
  );
}

/** Every attempt the hub made to hand a delivery over, newest first, with what it sent and what came back. */
export async function listOutboundAttempts(db: Db, params: z.input<typeof outboundLogSchema>) {
  const query = outboundLogSchema.parse(params);
  const rows = await db
    .select({
      attempt: deliveryAttempts,
      target: deliveries.target,
      path: deliveries.path,
      noticeId: deliveries.noticeId,
      dispatchNo: notices.dispatchNo,
      // The body sent is the delivery's current payload; older versions live in delivery_actions.
      payload: deliveries.payload,
      currentVersion: deliveries.payloadVersion,
    })
    .from(deliveryAttempts)
    .innerJoin(deliveries, eq(deliveries.id, deliveryAttempts.deliveryId))
    .leftJoin(notices, eq(notices.id, deliveries.noticeId))
    .where(
      and(
        query.target ? eq(deliveries.target, query.target) : undefined,
        query.path ? eq(deliveries.path, query.path) : undefined,
        query.outcome ? eq(deliveryAttempts.outcome, query.outcome) : undefined,
        query.dispatchNo ? sql`${deliveries.noticeId} in (select ${notices.id} from ${notices} where ${notices.dispatchNo} = ${query.dispatchNo})` : undefined,
        query.from ? gte(deliveryAttempts.startedAt, query.from) : undefined,
        query.to ? lt(deliveryAttempts.startedAt, query.to) : undefined,
      ),
    )
    .orderBy(desc(deliveryAttempts.startedAt), desc(deliveryAttempts.id))
    .limit(query.pageSize + 1)
    .offset(query.page * query.pageSize);
  return page(rows, query.pageSize);
}
