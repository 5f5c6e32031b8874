import type { Db } from "@/db/client";
import { observeAttempt } from "@/server/metrics";
import { liveConfig } from "@/server/settings/live-settings";
import type { ClaimedDelivery } from "@/server/delivery/claim-deliveries";
import { finishAttempt, type AttemptOutcome, type FinishedAttempt } from "@/server/delivery/finish-attempt";
import { sendDelivery } from "@/server/delivery/send-delivery";
import { targetFor } from "@/server/delivery/targets";

type AttemptOptions = { worker: string; timeoutMs?: number; onRefusal?: FinishedAttempt["onRefusal"] };

/**
 * The HTTP half of an attempt at a delivery this process has leased. Null when
 * its side has no target any more (configuration changed under us): the lease
 * runs out and it waits as "no target".
 */
export async function sendAttempt(delivery: ClaimedDelivery, options: AttemptOptions): Promise<FinishedAttempt | null> {
  // The target, token and time limit in force now: an admin may have changed them since the claim.
  const config = liveConfig();
  const target = targetFor(delivery.target, config);
  if (!target) return null;
  const url = `${target.baseUrl}${delivery.path}`;
  const startedAt = new Date();
  const started = performance.now();
  const result = await sendDelivery({
    url,
    token: target.token,
    payload: delivery.payload,
    deliveryId: delivery.deliveryId,
    attemptNo: delivery.attempts,
    timeoutMs: options.timeoutMs ?? config.DELIVERY_TIMEOUT_MS,
  });
  return {
    delivery,
    url,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    result,
    worker: options.worker,
    onRefusal: options.onRefusal,
  };
}

/**
 * One attempt, sent and recorded: the delivery moves on before this returns.
 * Counted in hub_delivery_attempts_total like the worker's attempts (a void
 * relayed while its caller waits, server/void/relay-void.ts, comes this way).
 */
export async function attemptDelivery(db: Db, delivery: ClaimedDelivery, options: AttemptOptions): Promise<AttemptOutcome | null> {
  const finished = await sendAttempt(delivery, options);
  if (!finished) return null;
  const outcome = await finishAttempt(db, finished);
  observeAttempt(delivery.target, outcome.verdict.outcome, delivery.createdAt);
  return outcome;
}
