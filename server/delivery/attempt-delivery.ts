import type { Db } from "@/db/client";
import { readConfig } from "@/server/config";
import type { ClaimedDelivery } from "@/server/delivery/claim-deliveries";
import { finishAttempt, type AttemptOutcome, type FinishedAttempt } from "@/server/delivery/finish-attempt";
import { sendDelivery } from "@/server/delivery/send-delivery";
import { targetFor } from "@/server/delivery/targets";

/** One attempt at a delivery this process has leased: send it, record it, move it on. */
export async function attemptDelivery(
  db: Db,
  delivery: ClaimedDelivery,
  options: {
    worker: string;
    timeoutMs?: number;
    refusalAnswersCaller?: boolean;
    /** How the attempt is written; a worker passes its group-commit recorder. */
    record?: (attempt: FinishedAttempt) => Promise<AttemptOutcome>;
  },
): Promise<AttemptOutcome | null> {
  const config = readConfig();
  const target = targetFor(delivery.target, config);
  // No target (configuration changed under us): the lease runs out and it waits as "no target".
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
  const record = options.record ?? ((attempt: FinishedAttempt) => finishAttempt(db, attempt));
  return record({
    delivery,
    url,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    result,
    worker: options.worker,
    refusalAnswersCaller: options.refusalAnswersCaller,
  });
}
