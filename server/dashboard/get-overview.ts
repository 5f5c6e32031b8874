import { and, asc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { deliveries, deliveryAttempts } from "@/db/schema/deliveries";
import { exchanges } from "@/db/schema/exchanges";
import { anomalies, notices } from "@/db/schema/notices";
import { problems } from "@/db/schema/problems";
import { activeProblemStates, deliveryStatesAwaitingAPerson } from "@/lib/states";
import { countDeliveryQueues } from "@/server/dashboard/list-deliveries";
import { SHIP_FROM_STORE_SLA_MS } from "@/server/notices/rules";
import { overviewRanges } from "@/lib/overview-ranges";

export const overviewSchema = z.object({ range: z.enum(overviewRanges).default("24h") });

const RANGES = {
  "1h": { hours: 1, unit: "minute" },
  "24h": { hours: 24, unit: "hour" },
  "7d": { hours: 24 * 7, unit: "day" },
} as const;
// Buckets follow the ops team's day, not UTC's. Both are constants, inlined so
// GROUP BY sees the same expression as SELECT.
const TIME_ZONE = "Asia/Shanghai";

/** Volume and failures per endpoint and time bucket: inbound calls and outbound attempts. */
async function trafficSeries(db: Db, since: Date, unit: "minute" | "hour" | "day") {
  const inBucket = sql<Date>`date_trunc('${sql.raw(unit)}', ${exchanges.receivedAt}, '${sql.raw(TIME_ZONE)}')`.mapWith(exchanges.receivedAt);
  const outBucket = sql<Date>`date_trunc('${sql.raw(unit)}', ${deliveryAttempts.startedAt}, '${sql.raw(TIME_ZONE)}')`.mapWith(deliveryAttempts.startedAt);
  const [inbound, outbound] = await Promise.all([
    db
      .select({
        bucket: inBucket,
        path: exchanges.path,
        total: sql<number>`count(*)`.mapWith(Number),
        failed: sql<number>`count(*) filter (where ${exchanges.outcome} not in ('accepted', 'duplicate'))`.mapWith(Number),
      })
      .from(exchanges)
      .where(gte(exchanges.receivedAt, since))
      .groupBy(inBucket, exchanges.path),
    db
      .select({
        bucket: outBucket,
        path: deliveries.path,
        total: sql<number>`count(*)`.mapWith(Number),
        failed: sql<number>`count(*) filter (where ${deliveryAttempts.outcome} <> 'delivered')`.mapWith(Number),
      })
      .from(deliveryAttempts)
      .innerJoin(deliveries, eq(deliveries.id, deliveryAttempts.deliveryId))
      .where(gte(deliveryAttempts.startedAt, since))
      .groupBy(outBucket, deliveries.path),
  ]);
  return [
    ...inbound.map((row) => ({ ...row, direction: "in" as const })),
    ...outbound.map((row) => ({ ...row, direction: "out" as const })),
  ];
}

/** The oldest thing waiting for a person: a timed-out or rejected delivery, and an open anomaly. */
async function oldestProblems(db: Db) {
  const [[delivery], [anomaly]] = await Promise.all([
    db
      .select({ id: deliveries.id, state: deliveries.state, path: deliveries.path, createdAt: deliveries.createdAt, noticeId: deliveries.noticeId, answerMsg: deliveries.answerMsg, lastError: deliveries.lastError, lastStatus: deliveries.lastStatus })
      .from(deliveries)
      .where(inArray(deliveries.state, [...deliveryStatesAwaitingAPerson]))
      .orderBy(asc(deliveries.createdAt))
      .limit(1),
    db
      .select({ id: anomalies.id, kind: anomalies.kind, detail: anomalies.detail, data: anomalies.data, createdAt: anomalies.createdAt, noticeId: anomalies.noticeId })
      .from(anomalies)
      .where(isNull(anomalies.resolvedAt))
      .orderBy(asc(anomalies.createdAt))
      .limit(1),
  ]);
  return { delivery: delivery ?? null, anomaly: anomaly ?? null };
}

/** Ship-from-store notices still pending past the 24 h window (accepted before `lateBefore`), by store. */
function storesPastShippingWindow(db: Db, lateBefore: Date) {
  return db
    .select({
      shopCode: notices.shopCode,
      count: sql<number>`count(*)`.mapWith(Number),
      oldest: sql<Date>`min(${notices.createdAt})`.mapWith(notices.createdAt),
    })
    .from(notices)
    .where(and(eq(notices.kind, "ship_from_store"), eq(notices.status, "pending"), lt(notices.createdAt, lateBefore)))
    .groupBy(notices.shopCode)
    .orderBy(sql`count(*) desc`, notices.shopCode)
    .limit(100);
}

/**
 * What is failing now, per endpoint and counted per message, not per attempt
 * (26 retries of one stuck delivery are one failing message): outbound, the
 * deliveries attempted since `since` and how many of them had a failed or
 * rejected attempt, and how many wait for a person now; inbound, the calls
 * received and how many were refused (each call is one message). Ranked by
 * failing messages, then rate. Rows: { direction, side, path, messages, failed, waiting, timedOut, rejected }.
 */
export async function failingEndpoints(db: Db, since: Date) {
  const attempted = db
    .select({
      deliveryId: deliveryAttempts.deliveryId,
      failed: sql<boolean>`bool_or(${deliveryAttempts.outcome} <> 'delivered')`.as("failed"),
    })
    .from(deliveryAttempts)
    .where(gte(deliveryAttempts.startedAt, since))
    .groupBy(deliveryAttempts.deliveryId)
    .as("attempted");
  const [outbound, inbound] = await Promise.all([
    db
      .select({
        side: deliveries.target,
        path: deliveries.path,
        messages: sql<number>`count(*)`.mapWith(Number),
        failed: sql<number>`count(*) filter (where ${attempted.failed})`.mapWith(Number),
        timedOut: sql<number>`count(*) filter (where ${deliveries.state} = 'timed_out')`.mapWith(Number),
        rejected: sql<number>`count(*) filter (where ${deliveries.state} = 'rejected')`.mapWith(Number),
      })
      .from(attempted)
      .innerJoin(deliveries, eq(deliveries.id, attempted.deliveryId))
      .groupBy(deliveries.target, deliveries.path),
    db
      .select({
        side: exchanges.side,
        path: exchanges.path,
        messages: sql<number>`count(*)`.mapWith(Number),
        failed: sql<number>`count(*) filter (where ${exchanges.outcome} not in ('accepted', 'duplicate'))`.mapWith(Number),
      })
      .from(exchanges)
      .where(gte(exchanges.receivedAt, since))
      .groupBy(exchanges.side, exchanges.path),
  ]);
  return rankFailing([
    ...outbound.map((row) => ({ ...row, waiting: row.timedOut + row.rejected, direction: "out" as const })),
    ...inbound.map((row) => ({ ...row, waiting: 0, timedOut: 0, rejected: 0, direction: "in" as const })),
  ]);
}

/** Most failing messages first, then the higher failure rate, then by path (stable). */
export function rankFailing<Row extends { messages: number; failed: number; path: string; direction: string }>(rows: Row[]): Row[] {
  const rate = (row: Row) => (row.messages ? row.failed / row.messages : 0);
  return [...rows].sort((a, b) => b.failed - a.failed || rate(b) - rate(a) || a.path.localeCompare(b.path) || a.direction.localeCompare(b.direction));
}

/** Problems that need someone (open, acknowledged), and the one open longest. */
async function activeProblems(db: Db) {
  const rows = await db
    .select({ id: problems.id, state: problems.state, side: problems.side, path: problems.path, failureKind: problems.failureKind, msg: problems.msg, openCount: problems.openCount, openedAt: problems.openedAt })
    .from(problems)
    .where(inArray(problems.state, [...activeProblemStates]))
    .orderBy(asc(problems.openedAt));
  return { count: rows.length, oldest: rows[0] ?? null };
}

export async function getOverview(db: Db, params: z.input<typeof overviewSchema>, now = new Date()) {
  const { range } = overviewSchema.parse(params);
  const { hours, unit } = RANGES[range];
  const since = new Date(now.getTime() - hours * 3600 * 1000);
  // The window's cutoff, returned too: the late-store link opens exactly the notices counted here.
  const lateBefore = new Date(now.getTime() - SHIP_FROM_STORE_SLA_MS);
  const [traffic, queues, oldest, lateStores, failing, problemSummary] = await Promise.all([
    trafficSeries(db, since, unit),
    countDeliveryQueues(db, {}),
    oldestProblems(db),
    storesPastShippingWindow(db, lateBefore),
    failingEndpoints(db, since),
    activeProblems(db),
  ]);
  return { range, unit, since, until: now, traffic, queues, oldest, lateStores, lateBefore, failing, problems: problemSummary };
}
