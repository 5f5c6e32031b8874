import { and, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { safeDate, safeText } from "@/server/input-guard";
import type { Db } from "@/db/client";
import { attemptOutcome, deliveries, deliveryAttempts } from "@/db/schema/deliveries";
import { exchangeOutcome, exchanges } from "@/db/schema/exchanges";
import { notices } from "@/db/schema/notices";
import { sameCode } from "@/db/fold-code";
import { HubError } from "@/server/errors";
import { bytesOf, countUpToBound, keysetPage, olderThan, previewOf } from "@/server/dashboard/keyset";
import { partnerSides } from "@/lib/states";

// The exchange log (SPEC §7, issue 9): one page of 200 rows used to carry every
// body whole — 160 MB after partners sent 1 MiB bodies. A list row now carries
// the first PREVIEW_CHARS characters of each body, cut in SQL, and its size in
// bytes; the whole call or attempt is loaded when a person opens it.

const filters = {
  path: safeText(64).optional(),
  dispatchNo: safeText(64).optional(),
  from: safeDate().optional(),
  to: safeDate().optional(),
};
const pageSize = z.number().int().min(1).max(200).default(50);

export const inboundFilterSchema = z.object({ ...filters, side: z.enum(partnerSides).optional(), outcome: z.enum(exchangeOutcome.enumValues).optional() });
export const outboundFilterSchema = z.object({ ...filters, target: z.enum(partnerSides).optional(), outcome: z.enum(attemptOutcome.enumValues).optional() });
/** `cursor`: the nextCursor of the page before (absent for the first page). */
export const inboundLogSchema = inboundFilterSchema.extend({ cursor: z.object({ at: safeDate(), id: z.uuid() }).optional(), pageSize });
export const outboundLogSchema = outboundFilterSchema.extend({ cursor: z.object({ at: safeDate(), id: z.number().int().positive() }).optional(), pageSize });
export const inboundCallSchema = z.object({ id: z.uuid() });
export const outboundAttemptSchema = z.object({ id: z.number().int().positive() });

/** The notices a typed dispatchNO means, folded on both sides (`dn-ab12` is `DN-AB12`): notices_folded_dispatch_no. */
const noticesNamed = (typed: string) => sql`select ${notices.id} from ${notices} where ${sameCode(notices.dispatchNo, typed, "folded")}`;

/**
 * The calls about a typed dispatchNO, whatever its case or width: those on its
 * notice (exchanges_by_notice); refused calls, which keep it apart as claimed
 * (unverified) and reach no notice, folded too (exchanges_folded_claimed_dispatch_no,
 * partial: only refused calls pay for it); other calls without a notice by the
 * dispatchNO's own spelling (exchanges_by_dispatch_no: the log is written on every
 * partner call, so it gets no folded index of its own), as typed or upper case.
 */
const typedDispatchNo = (typed: string) =>
  or(
    // `= any(array(…))`, not `in (…)`: a value the index can seek to, where PostgreSQL made `in` a hashed
    // filter on every row and so could not combine the three indexes (a Seq Scan of the log to count).
    sql`${exchanges.noticeId} = any(array(${noticesNamed(typed)}))`,
    sameCode(exchanges.dispatchNo, typed, "plain"),
    // Implies the partial index's `is not null` (strict functions): the index is used, as EXPLAIN shows.
    sameCode(exchanges.claimedDispatchNo, typed, "folded"),
  )!;

function inboundConditions(query: z.output<typeof inboundFilterSchema>): SQL | undefined {
  return and(
    query.side ? eq(exchanges.side, query.side) : undefined,
    query.path ? eq(exchanges.path, query.path) : undefined,
    query.outcome ? eq(exchanges.outcome, query.outcome) : undefined,
    query.dispatchNo ? typedDispatchNo(query.dispatchNo) : undefined,
    query.from ? gte(exchanges.receivedAt, query.from) : undefined,
    query.to ? lt(exchanges.receivedAt, query.to) : undefined,
  );
}

function outboundConditions(query: z.output<typeof outboundFilterSchema>): SQL | undefined {
  return and(
    query.target ? eq(deliveries.target, query.target) : undefined,
    query.path ? eq(deliveries.path, query.path) : undefined,
    query.outcome ? eq(deliveryAttempts.outcome, query.outcome) : undefined,
    query.dispatchNo ? sql`${deliveries.noticeId} in (${noticesNamed(query.dispatchNo)})` : undefined,
    query.from ? gte(deliveryAttempts.startedAt, query.from) : undefined,
    query.to ? lt(deliveryAttempts.startedAt, query.to) : undefined,
  );
}

/**
 * One page of the calls partners made to the hub, newest first. Bodies are
 * previews (`requestPreview`, `responsePreview`: the first PREVIEW_CHARS
 * characters) with `requestBytes` the stored body's size; `nextCursor` asks for
 * the page after (null on the last).
 */
export async function listInboundExchanges(db: Db, params: z.input<typeof inboundLogSchema>) {
  const query = inboundLogSchema.parse(params);
  const rows = await db
    .select({
      id: exchanges.id,
      receivedAt: exchanges.receivedAt,
      side: exchanges.side,
      path: exchanges.path,
      requestPreview: previewOf(exchanges.requestBody),
      requestBytes: bytesOf(exchanges.requestBody),
      requestTruncated: exchanges.requestTruncated,
      responseStatus: exchanges.responseStatus,
      responsePreview: previewOf(sql`${exchanges.responseBody}::text`),
      durationMs: exchanges.durationMs,
      outcome: exchanges.outcome,
      dispatchNo: exchanges.dispatchNo,
      claimedDispatchNo: exchanges.claimedDispatchNo,
      noticeId: exchanges.noticeId,
      tokenLabel: exchanges.tokenLabel,
      normalisation: exchanges.normalisation,
      clientAddress: exchanges.clientAddress,
    })
    .from(exchanges)
    .where(and(inboundConditions(query), olderThan(exchanges.receivedAt, exchanges.id, query.cursor)))
    .orderBy(desc(exchanges.receivedAt), desc(exchanges.id))
    .limit(query.pageSize + 1);
  return keysetPage(rows, query.pageSize, (row) => ({ at: row.receivedAt, id: row.id }));
}

/** How many calls match the filters, counted up to COUNT_BOUND ("10 000+"). */
export function countInboundExchanges(db: Db, params: z.input<typeof inboundFilterSchema>) {
  return countUpToBound(db, exchanges, inboundConditions(inboundFilterSchema.parse(params)));
}

/**
 * One call, whole: headers, the body as stored and the answer, for a person
 * who opened it. @throws HubError not_found when no call has this id.
 */
export async function getInboundExchange(db: Db, params: z.input<typeof inboundCallSchema>) {
  const { id } = inboundCallSchema.parse(params);
  const [row] = await db.select().from(exchanges).where(eq(exchanges.id, id)).limit(1);
  if (!row) throw new HubError("not_found", `调用记录不存在 (no call ${id})`);
  return { ...row, headers: JSON.stringify(row.headers), responseBody: JSON.stringify(row.responseBody) };
}

/**
 * One page of the attempts the hub made to hand a delivery over, newest first:
 * previews of the body sent (the delivery's current payload) and of what came
 * back, with their sizes in bytes; `nextCursor` as for the inbound log.
 */
export async function listOutboundAttempts(db: Db, params: z.input<typeof outboundLogSchema>) {
  const query = outboundLogSchema.parse(params);
  const rows = await db
    .select({
      id: deliveryAttempts.id,
      startedAt: deliveryAttempts.startedAt,
      url: deliveryAttempts.url,
      payloadVersion: deliveryAttempts.payloadVersion,
      outcome: deliveryAttempts.outcome,
      httpStatus: deliveryAttempts.httpStatus,
      durationMs: deliveryAttempts.durationMs,
      error: deliveryAttempts.error,
      responsePreview: previewOf(deliveryAttempts.responseBody),
      responseBytes: bytesOf(deliveryAttempts.responseBody),
      deliveryId: deliveries.id,
      target: deliveries.target,
      path: deliveries.path,
      noticeId: deliveries.noticeId,
      dispatchNo: notices.dispatchNo,
      // The body sent is the delivery's current payload; older versions live in delivery_actions.
      payloadPreview: previewOf(deliveries.payload),
      payloadBytes: bytesOf(deliveries.payload),
      currentVersion: deliveries.payloadVersion,
    })
    .from(deliveryAttempts)
    .innerJoin(deliveries, eq(deliveries.id, deliveryAttempts.deliveryId))
    .leftJoin(notices, eq(notices.id, deliveries.noticeId))
    .where(and(outboundConditions(query), olderThan(deliveryAttempts.startedAt, deliveryAttempts.id, query.cursor)))
    .orderBy(desc(deliveryAttempts.startedAt), desc(deliveryAttempts.id))
    .limit(query.pageSize + 1);
  return keysetPage(rows, query.pageSize, (row) => ({ at: row.startedAt, id: row.id }));
}

/** How many attempts match the filters, counted up to COUNT_BOUND ("10 000+"). */
export async function countOutboundAttempts(db: Db, params: z.input<typeof outboundFilterSchema>) {
  const query = outboundFilterSchema.parse(params);
  const needsDelivery = Boolean(query.target || query.path || query.dispatchNo);
  if (!needsDelivery) return countUpToBound(db, deliveryAttempts, outboundConditions(query));
  const where = and(sql`${deliveries.id} = ${deliveryAttempts.deliveryId}`, outboundConditions(query));
  return countUpToBound(db, deliveryAttempts, sql`exists (select 1 from ${deliveries} where ${where})`);
}

/**
 * One attempt, whole: what was sent (the delivery's current payload) and what
 * came back. @throws HubError not_found when no attempt has this id.
 */
export async function getOutboundAttempt(db: Db, params: z.input<typeof outboundAttemptSchema>) {
  const { id } = outboundAttemptSchema.parse(params);
  const [row] = await db
    .select({ attempt: deliveryAttempts, payload: deliveries.payload, currentVersion: deliveries.payloadVersion })
    .from(deliveryAttempts)
    .innerJoin(deliveries, eq(deliveries.id, deliveryAttempts.deliveryId))
    .where(eq(deliveryAttempts.id, id))
    .limit(1);
  if (!row) throw new HubError("not_found", `投递尝试不存在 (no attempt #${id})`);
  return { ...row.attempt, payload: row.payload, currentVersion: row.currentVersion };
}
