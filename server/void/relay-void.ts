import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { deliveries, deliveryActions } from "@/db/schema/deliveries";
import { exchanges } from "@/db/schema/exchanges";
import { notices } from "@/db/schema/notices";
import type { PartnerSide } from "@/server/contract/endpoints";
import type { PartnerAnswer } from "@/server/contract/messages";
import { getConfig } from "@/server/config";
import { liveConfig } from "@/server/settings/live-settings";
import { attemptDelivery } from "@/server/delivery/attempt-delivery";
import type { ClaimedDelivery } from "@/server/delivery/claim-deliveries";
import { openDeliveryStates } from "@/lib/states";
import { enqueueDelivery } from "@/server/delivery/enqueue-delivery";
import type { NextStep } from "@/server/delivery/retry-policy";
import { targetFor } from "@/server/delivery/targets";
import { signalDeliveryQueued } from "@/server/delivery/wake";
import type { NoticeStatus } from "@/server/notices/rules";

// SPEC §4: a void is answered by whoever knows whether goods left. The call is
// accepted from the hub's own picture (void-notice.ts) and its forwarding queued
// here; when it can go at once, the caller waits (VOID_SYNC_BUDGET_MS) for the
// other side's own answer. A refusal overrules the hub's picture: the notice's
// void is undone, the caller hears the refusal (now and on every repeat), and
// the delivery closes as "resolved" by the hub with the refusal as its answer —
// never "delivered", and not "rejected" either (nobody has anything left to do).

export type VoidRelay = { delivery: ClaimedDelivery; noticeId: number; statusBefore: NoticeStatus; voidedAt: Date };

/** The delivery a refused relayed void becomes: closed, its refusal already heard by the caller. */
export const REFUSED_VOID_STEP: NextStep = { state: "resolved" };

/** What the delivery's action log says about a refused relayed void (zh, then en). */
export const REFUSED_VOID_NOTE = "对方拒绝作废, 已将拒绝答复调用方 (the other side refused the void; the caller was given its answer)";

const voidRelayLeaseMs = () => getConfig().VOID_SYNC_BUDGET_MS + 5000;

// Built once (db/prepared-in-transaction.ts): every accepted void that is forwarded runs it.
const openDeliveryOfOrder = preparedInTransaction("void_open_delivery_of_order", (db) =>
  db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.orderKey, sql.placeholder("orderKey")), inArray(deliveries.state, [...openDeliveryStates])))
    .limit(1),
);

/** The void can go at once only if it has somewhere to go and nothing of its notice is queued before it. */
async function canRelayVoidNow(tx: Db, target: PartnerSide, orderKey: string | null): Promise<boolean> {
  // The target in force now: an admin may change it live (server/settings/live-settings.ts).
  const config = liveConfig();
  if (config.VOID_SYNC_BUDGET_MS === 0 || !targetFor(target, config) || !orderKey) return false;
  const [earlier] = await openDeliveryOfOrder.run(tx, { orderKey });
  return earlier === undefined;
}

/**
 * Queues an accepted void's forwarding inside the call's transaction `tx`. When
 * it can go at once it is leased to this call (no worker takes it meanwhile) and
 * the relay to run after commit is returned; otherwise undefined (the worker
 * sends it in its turn).
 */
export async function queueVoid(
  tx: Db,
  forwarding: Parameters<typeof enqueueDelivery>[1] & { noticeId: number },
  voided: { statusBefore: NoticeStatus },
): Promise<VoidRelay | undefined> {
  const relayNow = await canRelayVoidNow(tx, forwarding.target, forwarding.orderKey);
  const delivery = await enqueueDelivery(tx, { ...forwarding, leaseMs: relayNow ? voidRelayLeaseMs() : undefined });
  if (!delivery) return undefined;
  return { delivery, noticeId: forwarding.noticeId, statusBefore: voided.statusBefore, voidedAt: forwarding.acceptedAt };
}

// The refusal's writes, built once too (issue 13): rare, but a partner call's path.
const undoOwnVoid = preparedInTransaction("void_refused_undo", (db) =>
  db
    .update(notices)
    .set({ status: sql`${sql.placeholder("statusBefore")}`, voidedAt: null, updatedAt: sql`${sql.placeholder("now")}` })
    .where(
      and(
        eq(notices.id, sql.placeholder("noticeId")),
        eq(notices.status, "voided"),
        // Only undo our own void, not one that came later.
        eq(notices.voidedAt, sql.placeholder("voidedAt")),
      ),
    ),
);

// With the partition key, the update touches only the call's month of the log.
const answerWithRefusal = preparedInTransaction("void_refused_answer", (db) =>
  db
    .update(exchanges)
    .set({ responseBody: sql`${sql.placeholder("answer")}`, outcome: "rejected" })
    .where(and(eq(exchanges.id, sql.placeholder("id")), eq(exchanges.receivedAt, sql.placeholder("receivedAt")))),
);

const recordRefusedVoid = preparedInTransaction("void_refused_action", (db) =>
  db.insert(deliveryActions).values({
    deliveryId: sql.placeholder("deliveryId"),
    action: "resolve",
    actor: "hub",
    note: REFUSED_VOID_NOTE,
    stateBefore: "pending",
    stateAfter: REFUSED_VOID_STEP.state,
    createdAt: sql.placeholder("now"),
  }),
);

/**
 * Puts the void to the other side while its caller waits, after the call's
 * transaction committed. Returns what the caller hears: `{success:true}` when the
 * other side agreed or did not answer within the budget (the worker retries it),
 * its refusal otherwise. `exchange` is the void call's own logged exchange (id and
 * received_at, its key), amended on a refusal so a repeat replays the refusal.
 */
export async function relayVoid(db: Db, relay: VoidRelay, exchange: { id: string; receivedAt: Date }): Promise<PartnerAnswer> {
  const own: PartnerAnswer = { success: true };
  const outcome = await attemptDelivery(db, relay.delivery, {
    worker: "void-relay",
    timeoutMs: Math.min(getConfig().VOID_SYNC_BUDGET_MS, liveConfig().DELIVERY_TIMEOUT_MS),
    onRefusal: REFUSED_VOID_STEP,
  });
  if (!outcome || outcome.verdict.outcome === "failed") {
    signalDeliveryQueued(); // the worker retries it from here
    return own;
  }
  if (outcome.verdict.outcome === "delivered") return own;

  const answer: PartnerAnswer = { success: false, msg: outcome.verdict.msg };
  const now = new Date();
  await db.transaction(async (tx) => {
    await undoOwnVoid.run(tx, { noticeId: relay.noticeId, statusBefore: relay.statusBefore, voidedAt: relay.voidedAt, now });
    // A repeat of the call replays its exchange's answer: the refusal, from now on.
    await answerWithRefusal.run(tx, { id: exchange.id, receivedAt: exchange.receivedAt, answer: JSON.stringify(answer) });
    await recordRefusedVoid.run(tx, { deliveryId: relay.delivery.id, now });
  });
  return answer;
}
