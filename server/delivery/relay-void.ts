import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { exchanges } from "@/db/schema/exchanges";
import { notices } from "@/db/schema/notices";
import { getConfig } from "@/server/config";
import { attemptDelivery } from "@/server/delivery/attempt-delivery";
import type { ClaimedDelivery } from "@/server/delivery/claim-deliveries";
import { openDeliveryStates } from "@/server/delivery/delivery-queues";
import { targetFor } from "@/server/delivery/targets";
import { signalDeliveryQueued } from "@/server/delivery/wake";
import type { NoticeStatus } from "@/server/notices/rules";
import type { PartnerSide } from "@/server/partner/endpoints";
import type { PartnerAnswer } from "@/server/partner/messages";

export type VoidRelay = { delivery: ClaimedDelivery; noticeId: number; statusBefore: NoticeStatus; voidedAt: Date };

export const VOID_RELAY_LEASE_MS = () => getConfig().VOID_SYNC_BUDGET_MS + 5000;

/** The void can go at once only if it has somewhere to go and nothing of its notice is queued before it. */
export async function canRelayVoidNow(tx: Db, target: PartnerSide, orderKey: string | null): Promise<boolean> {
  const config = getConfig();
  if (config.VOID_SYNC_BUDGET_MS === 0 || !targetFor(target, config) || !orderKey) return false;
  const [earlier] = await tx
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.orderKey, orderKey), inArray(deliveries.state, [...openDeliveryStates])))
    .limit(1);
  return earlier === undefined;
}

/**
 * SPEC §4: a void is answered by whoever knows whether goods left. The call was
 * already accepted from the hub's own picture (and stays queued if the other
 * side is slow); here the other side gets the budget to answer for itself. Its
 * refusal overrules the hub's picture and is what the caller hears.
 * `exchange` is the void call's own logged exchange (id and received_at, its key).
 */
export async function relayVoid(db: Db, relay: VoidRelay, exchange: { id: string; receivedAt: Date }) {
  const own: PartnerAnswer = { success: true };
  const outcome = await attemptDelivery(db, relay.delivery, {
    worker: "void-relay",
    timeoutMs: Math.min(getConfig().VOID_SYNC_BUDGET_MS, getConfig().DELIVERY_TIMEOUT_MS),
    refusalAnswersCaller: true,
  });
  if (!outcome || outcome.verdict.outcome === "failed") {
    signalDeliveryQueued(); // the worker retries it from here
    return own;
  }
  if (outcome.verdict.outcome === "delivered") return own;

  const answer: PartnerAnswer = { success: false, msg: outcome.verdict.msg };
  await db.transaction(async (tx) => {
    await tx
      .update(notices)
      .set({ status: relay.statusBefore, voidedAt: null, updatedAt: new Date() })
      .where(
        and(
          eq(notices.id, relay.noticeId),
          eq(notices.status, "voided"),
          // Only undo our own void, not one that came later.
          eq(notices.voidedAt, relay.voidedAt),
        ),
      );
    // A repeat of the call replays its exchange's answer: the refusal, from now on.
    // With the partition key, the update touches only the call's month of the log.
    await tx
      .update(exchanges)
      .set({ responseBody: answer, outcome: "rejected" })
      .where(and(eq(exchanges.id, exchange.id), eq(exchanges.receivedAt, exchange.receivedAt)));
  });
  return answer;
}
