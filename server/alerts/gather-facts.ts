import { and, count, desc, eq, gte, inArray, isNull, lt, max, min, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { exchanges } from "@/db/schema/exchanges";
import { anomalies, notices } from "@/db/schema/notices";
import type { AlertFacts, ProblemFact } from "@/server/alerts/alert-rules";
import { REFUSAL_WINDOW_MS, SHIP_FROM_STORE_SLA_MS } from "@/server/alerts/rule-settings";

const SIDES = ["pos", "oms"] as const;
/** Answers that count as a refusal of a partner's call (SPEC §8): bad request, no or bad credentials, forbidden. */
export const REFUSAL_STATUSES = [400, 401, 403];

/**
 * Reads everything the rules look at, as of `now` (server/alerts/alert-rules.ts
 * says what each fact means). Every query is an index walk: pending deliveries
 * by (state, created_at), calls by received_at, notices by (status, created_at).
 * @param readProblems the problems source (the problems table).
 */
export async function gatherFacts(db: Db, now: Date, readProblems: (db: Db) => Promise<ProblemFact[]>): Promise<AlertFacts> {
  const windowStart = new Date(now.getTime() - REFUSAL_WINDOW_MS);
  const [problems, backlog, inbound, lastCalls, overdue, overdueExamples, openAnomalies] = await Promise.all([
    readProblems(db),
    db
      .select({ side: deliveries.target, count: count(), oldest: min(deliveries.createdAt) })
      .from(deliveries)
      .where(eq(deliveries.state, "pending"))
      .groupBy(deliveries.target),
    db
      .select({
        side: exchanges.side,
        total: count(),
        refused: sql<number>`count(*) filter (where ${inArray(exchanges.responseStatus, REFUSAL_STATUSES)})`.mapWith(Number),
      })
      .from(exchanges)
      .where(and(gte(exchanges.receivedAt, windowStart), lt(exchanges.receivedAt, now)))
      .groupBy(exchanges.side),
    Promise.all(
      SIDES.map(async (side) => {
        const [row] = await db.select({ at: max(exchanges.receivedAt) }).from(exchanges).where(eq(exchanges.side, side));
        return { side, at: row?.at ?? null };
      }),
    ),
    db
      .select({ count: count(), shops: sql<number>`count(distinct ${notices.shopCode})`.mapWith(Number), oldest: min(notices.createdAt) })
      .from(notices)
      .where(overdueShipFromStore(now)),
    db.select({ dispatchNo: notices.dispatchNo }).from(notices).where(overdueShipFromStore(now)).orderBy(notices.createdAt).limit(3),
    db
      .select({
        kind: anomalies.kind,
        count: count(),
        latestAt: max(anomalies.createdAt),
        latestId: max(anomalies.id),
      })
      .from(anomalies)
      .where(isNull(anomalies.resolvedAt))
      .groupBy(anomalies.kind),
  ]);

  const anomalyExamples = openAnomalies.length
    ? await db
        .select({ id: anomalies.id, detail: anomalies.detail, dispatchNo: notices.dispatchNo })
        .from(anomalies)
        .leftJoin(notices, eq(notices.id, anomalies.noticeId))
        .where(inArray(anomalies.id, openAnomalies.map((row) => Number(row.latestId))))
        .orderBy(desc(anomalies.id))
    : [];
  const exampleById = new Map(anomalyExamples.map((row) => [row.id, row]));

  return {
    now,
    problems,
    backlog: backlog.flatMap((row) => (row.oldest ? [{ side: row.side, count: row.count, oldestCreatedAt: row.oldest }] : [])),
    inbound: inbound.map((row) => ({ side: row.side, total: row.total, refused: row.refused })),
    lastCalls,
    overdueShipFromStore: {
      count: overdue[0]?.count ?? 0,
      shops: overdue[0]?.shops ?? 0,
      oldestCreatedAt: overdue[0]?.oldest ?? null,
      examples: overdueExamples.map((row) => row.dispatchNo),
    },
    openAnomalies: openAnomalies.map((row) => {
      const example = exampleById.get(Number(row.latestId));
      return {
        kind: row.kind,
        count: row.count,
        latestAt: row.latestAt ?? now,
        exampleDispatchNo: example?.dispatchNo ?? null,
        exampleDetail: example?.detail ?? "",
      };
    }),
  };
}

function overdueShipFromStore(now: Date) {
  return and(eq(notices.kind, "ship_from_store"), eq(notices.status, "pending"), lt(notices.createdAt, new Date(now.getTime() - SHIP_FROM_STORE_SLA_MS)));
}
