import { and, asc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { deliveries, deliveryAttempts } from "@/db/schema/deliveries";
import { exchanges } from "@/db/schema/exchanges";
import { anomalies, notices } from "@/db/schema/notices";
import { countDeliveryQueues } from "@/server/dashboard/list-deliveries";
import { SHIP_FROM_STORE_SLA_MS } from "@/server/notices/rules";

export const overviewSchema = z.object({ range: z.enum(["24h", "7d"]).default("24h") });

const RANGES = { "24h": { hours: 24, unit: "hour" }, "7d": { hours: 24 * 7, unit: "day" } } as const;
// Buckets follow the ops team's day, not UTC's. Both are constants, inlined so
// GROUP BY sees the same expression as SELECT.
const TIME_ZONE = "Asia/Shanghai";

/** Volume and failures per endpoint and time bucket: inbound calls and outbound attempts. */
async function trafficSeries(db: Db, since: Date, unit: "hour" | "day") {
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
      .select({ id: deliveries.id, state: deliveries.state, path: deliveries.path, createdAt: deliveries.createdAt, noticeId: deliveries.noticeId, answerMsg: deliveries.answerMsg, lastError: deliveries.lastError })
      .from(deliveries)
      .where(inArray(deliveries.state, ["timed_out", "rejected"]))
      .orderBy(asc(deliveries.createdAt))
      .limit(1),
    db
      .select({ id: anomalies.id, kind: anomalies.kind, detail: anomalies.detail, createdAt: anomalies.createdAt, noticeId: anomalies.noticeId })
      .from(anomalies)
      .where(isNull(anomalies.resolvedAt))
      .orderBy(asc(anomalies.createdAt))
      .limit(1),
  ]);
  return { delivery: delivery ?? null, anomaly: anomaly ?? null };
}

/** Ship-from-store notices still pending past the 24 h window, by store. */
function storesPastShippingWindow(db: Db, now: Date) {
  return db
    .select({
      shopCode: notices.shopCode,
      count: sql<number>`count(*)`.mapWith(Number),
      oldest: sql<Date>`min(${notices.createdAt})`.mapWith(notices.createdAt),
    })
    .from(notices)
    .where(and(eq(notices.kind, "ship_from_store"), eq(notices.status, "pending"), lt(notices.createdAt, new Date(now.getTime() - SHIP_FROM_STORE_SLA_MS))))
    .groupBy(notices.shopCode)
    .orderBy(sql`count(*) desc`, notices.shopCode)
    .limit(100);
}

export async function getOverview(db: Db, params: z.input<typeof overviewSchema>, now = new Date()) {
  const { range } = overviewSchema.parse(params);
  const { hours, unit } = RANGES[range];
  const since = new Date(now.getTime() - hours * 3600 * 1000);
  const [traffic, queues, oldest, lateStores] = await Promise.all([
    trafficSeries(db, since, unit),
    countDeliveryQueues(db, {}),
    oldestProblems(db),
    storesPastShippingWindow(db, now),
  ]);
  return { range, unit, since, until: now, traffic, queues, oldest, lateStores };
}
