import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { exchanges, idempotencyKeys } from "@/db/schema/exchanges";
import { anomalies } from "@/db/schema/notices";
import { enqueueDelivery } from "@/server/delivery/enqueue-delivery";
import { canRelayVoidNow, VOID_RELAY_LEASE_MS, type VoidRelay } from "@/server/delivery/relay-void";
import { otherSide, type PartnerEndpoint } from "@/server/partner/endpoints";
import type { PartnerAnswer } from "@/server/partner/messages";

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

    if (claimed.length === 0) {
      // The first call's exchange holds its answer, as the void relay may have amended it.
      const [first] = await tx
        .select({
          status: exchanges.responseStatus,
          body: exchanges.responseBody,
          noticeId: exchanges.noticeId,
          dispatchNo: exchanges.dispatchNo,
        })
        .from(idempotencyKeys)
        .innerJoin(exchanges, eq(exchanges.id, idempotencyKeys.exchangeId))
        .where(eq(idempotencyKeys.key, input.idempotencyKey));
      const answer = { status: first!.status, body: first!.body as PartnerAnswer, outcome: "duplicate" as const };
      await tx.insert(exchanges).values({
        ...exchange,
        responseStatus: answer.status,
        responseBody: answer.body,
        durationMs: elapsed(),
        outcome: "duplicate",
        noticeId: first!.noticeId,
        dispatchNo: first!.dispatchNo,
      });
      return answer;
    }

    const result = await endpoint.apply(tx, input.message, { exchangeId: exchange.id, now: exchange.receivedAt });
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

    const target = otherSide(endpoint.side);
    const orderKey = result.notice?.dispatchNo ?? null;
    const relayNow = endpoint.isVoid && result.notice && (await canRelayVoidNow(tx, target, orderKey));
    const delivery = await enqueueDelivery(tx, {
      exchangeId: exchange.id,
      noticeId,
      orderKey,
      target,
      path: endpoint.path,
      payload: exchange.requestBody,
      acceptedAt: exchange.receivedAt,
      leaseMs: relayNow ? VOID_RELAY_LEASE_MS() : undefined,
    });
    const relay: VoidRelay | undefined =
      delivery && result.notice && result.statusBefore
        ? { delivery, noticeId: result.notice.id, statusBefore: result.statusBefore, voidedAt: exchange.receivedAt }
        : undefined;
    return { status: 200, body, outcome, relay };
  });
}

export function dispatchNoOf(message: unknown): string | null {
  const value = (message as { dispatchNO?: unknown } | null)?.dispatchNO;
  return typeof value === "string" ? value.slice(0, 64) : null;
}
