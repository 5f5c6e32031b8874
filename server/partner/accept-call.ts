import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
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
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ key: input.idempotencyKey, exchangeId: exchange.id })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });

    const first = claimed.length === 0 ? await firstAnswer(tx, input.idempotencyKey, exchange.id) : undefined;
    if (first) {
      const answer = { status: first.status, body: first.body as PartnerAnswer, outcome: "duplicate" as const };
      await tx.insert(exchanges).values({
        ...exchange,
        responseStatus: answer.status,
        responseBody: answer.body,
        durationMs: elapsed(),
        outcome: "duplicate",
        noticeId: first.noticeId,
        dispatchNo: first.dispatchNo,
      });
      return answer;
    }

    const result = await applyMessage(tx, endpoint, input.message, { exchangeId: exchange.id, now: exchange.receivedAt });
    const body: PartnerAnswer = result.decision.ok ? { success: true } : { success: false, msg: result.decision.msg };
    const outcome = result.decision.ok ? "accepted" : "rejected";

    if (!result.replayable) await tx.delete(idempotencyKeys).where(eq(idempotencyKeys.key, input.idempotencyKey));

    const noticeId = result.notice?.id ?? null;
    await tx.insert(exchanges).values({
      ...exchange,
      responseStatus: 200,
      responseBody: body,
      durationMs: elapsed(),
      outcome,
      noticeId,
      dispatchNo: result.notice?.dispatchNo ?? dispatchNoOf(input.message),
    });
    if (result.anomalies.length > 0) {
      await tx.insert(anomalies).values(
        result.anomalies.map((draft) => ({ ...draft, noticeId, exchangeId: exchange.id, createdAt: exchange.receivedAt })),
      );
    }
    if (!result.decision.ok || !result.forward) return { status: 200, body, outcome };

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
      const relay = await queueVoid(tx, { ...forwarding, noticeId: result.notice.id }, { statusBefore: result.statusBefore });
      return { status: 200, body, outcome, relay };
    }
    await enqueueDelivery(tx, forwarding);
    return { status: 200, body, outcome };
  });
}

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
    const [first] = await tx
      .select({
        exchangeId: idempotencyKeys.exchangeId,
        status: exchanges.responseStatus,
        body: exchanges.responseBody,
        noticeId: exchanges.noticeId,
        dispatchNo: exchanges.dispatchNo,
      })
      .from(idempotencyKeys)
      .leftJoin(exchanges, eq(exchanges.id, idempotencyKeys.exchangeId))
      .where(eq(idempotencyKeys.key, key));
    if (first?.status != null) return { ...first, status: first.status };
    const takenOver = await tx
      .update(idempotencyKeys)
      .set({ exchangeId, createdAt: new Date() })
      .where(and(eq(idempotencyKeys.key, key), first ? eq(idempotencyKeys.exchangeId, first.exchangeId) : undefined))
      .returning({ key: idempotencyKeys.key });
    if (takenOver.length > 0) return undefined;
    // Another repeat took the key over first (or forgot it): read again.
    if (!first) {
      const claimed = await tx.insert(idempotencyKeys).values({ key, exchangeId }).onConflictDoNothing().returning({ key: idempotencyKeys.key });
      if (claimed.length > 0) return undefined;
    }
  }
}

export function dispatchNoOf(message: unknown): string | null {
  const value = (message as { dispatchNO?: unknown } | null)?.dispatchNO;
  return typeof value === "string" ? value.slice(0, 64) : null;
}
