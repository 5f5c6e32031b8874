import type { Db } from "@/db/client";
import { readConfig } from "@/server/config";
import type { ClaimedDelivery } from "@/server/delivery/claim-deliveries";
import { finishAttempt } from "@/server/delivery/finish-attempt";
import { sendDelivery } from "@/server/delivery/send-delivery";
import { targetFor } from "@/server/delivery/targets";

/** One attempt at a delivery this process has leased: send it, record it, move it on. */
export async function attemptDelivery(
  db: Db,
  delivery: ClaimedDelivery,
  options: { worker: string; timeoutMs?: number; refusalAnswersCaller?: boolean },
) {
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
  return finishAttempt(db, {
    delivery,
    url,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    result,
    worker: options.worker,
    refusalAnswersCaller: options.refusalAnswersCaller,
  });
}
