import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { exchanges, idempotencyKeys } from "@/db/schema/exchanges";
import { anomalies } from "@/db/schema/notices";
import { enqueueDelivery } from "@/server/delivery/enqueue-delivery";
import { queueVoid, type VoidRelay } from "@/server/void/relay-void";
import { otherSide, type PartnerEndpoint } from "@/server/contract/endpoints";
import { applyMessage } from "@/server/partner/apply-message";
import type { PartnerAnswer } from "@/server/contract/messages";

export type LoggedExchange = Omit<
  typeof exchanges.$inferInsert,
  "responseStatus" | "responseBody" | "durationMs" | "outcome" | "noticeId" | "dispatchNo"
> & { id: string; receivedAt: Date };

export type CallAnswer = {
  status: number;
  body: PartnerAnswer;
  outcome: "accepted" | "rejected" | "duplicate";
  /** A void to put to the other side before answering (SPEC §4). */
  relay?: VoidRelay;
};

// Built once (db/prepared-in-transaction.ts): every accepted call runs these.
const claimKey = preparedInTransaction("accept_claim_key", (db) =>
  db
    .insert(idempotencyKeys)
    .values({ key: sql.placeholder("key"), exchangeId: sql.placeholder("exchangeId") })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key }),
);

const releaseKey = preparedInTransaction("accept_release_key", (db) =>
  db.delete(idempotencyKeys).where(eq(idempotencyKeys.key, sql.placeholder("key"))),
);

type ExchangeRow = typeof exchanges.$inferInsert;
const exchangeColumns = [
  "id", "receivedAt", "side", "path", "headers", "requestBody", "requestTruncated", "responseStatus", "responseBody",
  "durationMs", "outcome", "dispatchNo", "noticeId", "tokenLabel", "normalisation", "clientAddress", "claimedDispatchNo",
] as const satisfies readonly (keyof ExchangeRow)[];

/** Logs one partner call with its answer (refused-calls.ts logs a refused one with it too); values from `exchangeValues`. */
export const logExchange = preparedInTransaction("accept_log_exchange", (db) =>
  db.insert(exchanges).values(Object.fromEntries(exchangeColumns.map((column) => [column, sql.placeholder(column)])) as unknown as ExchangeRow),
);

// Any number of anomalies in one fixed statement: they travel as one JSON array.
const recordAnomalies = preparedInTransaction("accept_record_anomalies", (db) =>
  db.execute(sql`
    insert into ${anomalies} (notice_id, exchange_id, kind, detail, data, created_at)
    select ${sql.placeholder("noticeId")}::bigint, ${sql.placeholder("exchangeId")}::uuid, kind::anomaly_kind, detail, data,
           ${sql.placeholder("createdAt")}::timestamptz
    from jsonb_to_recordset(${sql.placeholder("anomalies")}::jsonb) as anomaly(kind text, detail text, data jsonb)`),
);

/** The exchange row with every column the statement names: absent optional columns as their defaults. */
export function exchangeValues(row: ExchangeRow): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const column of exchangeColumns) values[column] = row[column] ?? null;
  values.requestTruncated = row.requestTruncated ?? false;
  return values;
}

/**
 * One transaction: claim the call's idempotency key, apply the message to the
 * notice, log the exchange, record anomalies and queue the delivery. A repeat
 * of a call already answered waits for the first to commit, then replays its answer.
 */
export async function acceptCall(
  db: Db,
  input: {
    endpoint: PartnerEndpoint;
    message: unknown;
    idempotencyKey: string;
    exchange: LoggedExchange;
    /** What the other side receives (SPEC §3 "Forwarding"). */
    forwardPayload: string;
    startedAt: number;
  },
): Promise<CallAnswer> {
  const { endpoint, exchange } = input;
  const elapsed = () => Math.round(performance.now() - input.startedAt);

  return db.transaction(async (tx) => {
    const claimed = await claimKey.run(tx, { key: input.idempotencyKey, exchangeId: exchange.id });

    const first = claimed.length === 0 ? await firstAnswer(tx, input.idempotencyKey, exchange.id) : undefined;
    if (first) {
      const answer = { status: first.status, body: first.body as PartnerAnswer, outcome: "duplicate" as const };
      await logExchange.run(
        tx,
        exchangeValues({
          ...exchange,
          responseStatus: answer.status,
          responseBody: answer.body,
          durationMs: elapsed(),
          outcome: "duplicate",
          noticeId: first.noticeId,
          dispatchNo: first.dispatchNo,
        }),
      );
      return answer;
    }

    const result = await applyMessage(tx, endpoint, input.message, { exchangeId: exchange.id, now: exchange.receivedAt });
    const body: PartnerAnswer = result.decision.ok ? { success: true } : { success: false, msg: result.decision.msg };
    const outcome = result.decision.ok ? "accepted" : "rejected";

    const noticeId = result.notice?.id ?? null;
    // The writes below depend on no result of each other: sent together, postgres.js pipelines them on the
    // transaction's connection (one round trip instead of up to four). A failure still fails the transaction.
    const writes: Promise<unknown>[] = [];
    if (!result.replayable) writes.push(releaseKey.run(tx, { key: input.idempotencyKey }));
    writes.push(
      logExchange.run(
        tx,
        exchangeValues({
          ...exchange,
          responseStatus: 200,
          responseBody: body,
          durationMs: elapsed(),
          outcome,
          noticeId,
          dispatchNo: result.notice?.dispatchNo ?? dispatchNoOf(input.message),
        }),
      ),
    );
    if (result.anomalies.length > 0) {
      writes.push(
        recordAnomalies.run(tx, {
          noticeId,
          exchangeId: exchange.id,
          createdAt: exchange.receivedAt,
          anomalies: JSON.stringify(result.anomalies),
        }),
      );
    }
    if (!result.decision.ok || !result.forward) {
      await Promise.all(writes);
      return { status: 200, body, outcome };
    }

    const forwarding = {
      exchangeId: exchange.id,
      noticeId,
      orderKey: result.notice?.dispatchNo ?? null,
      target: otherSide(endpoint.side),
      path: endpoint.path,
      payload: input.forwardPayload,
      acceptedAt: exchange.receivedAt,
    };
    if (endpoint.isVoid && result.notice && result.statusBefore) {
      const [relay] = await Promise.all([
        queueVoid(tx, { ...forwarding, noticeId: result.notice.id }, { statusBefore: result.statusBefore }),
        ...writes,
      ]);
      return { status: 200, body, outcome, relay };
    }
    await Promise.all([enqueueDelivery(tx, forwarding), ...writes]);
    return { status: 200, body, outcome };
  });
}

const readFirstAnswer = preparedInTransaction("accept_first_answer", (db) =>
  db
    .select({
      exchangeId: idempotencyKeys.exchangeId,
      status: exchanges.responseStatus,
      body: exchanges.responseBody,
      noticeId: exchanges.noticeId,
      dispatchNo: exchanges.dispatchNo,
    })
    .from(idempotencyKeys)
    .leftJoin(exchanges, eq(exchanges.id, idempotencyKeys.exchangeId))
    .where(eq(idempotencyKeys.key, sql.placeholder("key"))),
);

// Rare (a repeat whose first answer is no longer logged), built once too (issue 13): the key passes to this
// call from the exchange that held it, or by the key alone when no row of it was read (forgotten meanwhile).
const takeOverKey = preparedInTransaction("accept_take_over_key", (db) =>
  db
    .update(idempotencyKeys)
    .set({ exchangeId: sql`${sql.placeholder("exchangeId")}`, createdAt: sql`${sql.placeholder("now")}` })
    .where(and(eq(idempotencyKeys.key, sql.placeholder("key")), eq(idempotencyKeys.exchangeId, sql.placeholder("from"))))
    .returning({ key: idempotencyKeys.key }),
);

const takeOverForgottenKey = preparedInTransaction("accept_take_over_forgotten_key", (db) =>
  db
    .update(idempotencyKeys)
    .set({ exchangeId: sql`${sql.placeholder("exchangeId")}`, createdAt: sql`${sql.placeholder("now")}` })
    .where(eq(idempotencyKeys.key, sql.placeholder("key")))
    .returning({ key: idempotencyKeys.key }),
);

/**
 * The answer the first call with this idempotency key got: its exchange holds
 * it, as the void relay may have amended it. Undefined when that exchange is no
 * longer logged (its month's partition was dropped, LOG_RETENTION_DAYS, before
 * the key's own retention forgot it): the key then passes to this call, which
 * is applied anew. Only one of two such repeats at once takes the key over; the
 * other waits on its row lock, then replays the winner's answer.
 */
async function firstAnswer(tx: Db, key: string, exchangeId: string) {
  for (;;) {
    const [first] = await readFirstAnswer.run(tx, { key });
    if (first?.status != null) return { ...first, status: first.status };
    const takenOver = first
      ? await takeOverKey.run(tx, { key, exchangeId, from: first.exchangeId, now: new Date() })
      : await takeOverForgottenKey.run(tx, { key, exchangeId, now: new Date() });
    if (takenOver.length > 0) return undefined;
    // Another repeat took the key over first (or forgot it): read again.
    if (!first) {
      const claimed = await claimKey.run(tx, { key, exchangeId });
      if (claimed.length > 0) return undefined;
    }
  }
}

export function dispatchNoOf(message: unknown): string | null {
  const value = (message as { dispatchNO?: unknown } | null)?.dispatchNO;
  return typeof value === "string" ? value.slice(0, 64) : null;
}
