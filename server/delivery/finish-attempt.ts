import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries, deliveryAttempts } from "@/db/schema/deliveries";
import type { ClaimedDelivery } from "@/server/delivery/claim-deliveries";
import { DELIVERY_CHANNEL } from "@/server/delivery/enqueue-delivery";
import { classifyAttempt, nextStep, type AttemptResult, type NextStep, type Verdict } from "@/server/delivery/retry-policy";
import { RESPONSE_BODY_LOG_LIMIT } from "@/server/delivery/send-delivery";

/**
 * Records an attempt and moves the delivery on. A person may have resolved or
 * cancelled it while the attempt was in flight: then the attempt is kept in the
 * history but the person's decision stands.
 */
export async function finishAttempt(
  db: Db,
  input: {
    delivery: ClaimedDelivery;
    url: string;
    startedAt: Date;
    durationMs: number;
    result: AttemptResult;
    worker: string;
    now?: Date;
    /** A void relayed while its caller waits: a refusal goes back to the caller, so nobody needs to act on it. */
    refusalAnswersCaller?: boolean;
  },
): Promise<{ step: NextStep; verdict: Verdict }> {
  const { delivery, result } = input;
  const now = input.now ?? new Date();
  const verdict = classifyAttempt(result, now.getTime());
  const decided = nextStep({ verdict, attemptNo: delivery.attempts, deadlineAt: delivery.deadlineAt, now });
  const step: NextStep = decided.state === "rejected" && input.refusalAnswersCaller ? { state: "delivered" } : decided;
  const httpStatus = result.kind === "answered" ? result.status : null;

  const recordAttempt = db.insert(deliveryAttempts).values({
    deliveryId: delivery.id,
    attemptNo: delivery.attempts,
    payloadVersion: delivery.payloadVersion,
    url: input.url,
    startedAt: input.startedAt,
    durationMs: input.durationMs,
    httpStatus,
    responseBody: result.kind === "answered" ? result.bodyText.slice(0, RESPONSE_BODY_LOG_LIMIT) : null,
    error: verdict.outcome === "failed" ? verdict.reason : null,
    outcome: verdict.outcome,
    mayHaveArrived: verdict.outcome === "failed" ? verdict.mayHaveArrived : true,
    worker: input.worker,
  });
  const finished = step.state !== "pending";
  const moveOn = db
    .update(deliveries)
    .set({
      state: step.state,
      leaseUntil: null,
      lastStatus: httpStatus,
      lastError: step.state === "pending" || step.state === "timed_out" ? step.reason : null,
      answerMsg: verdict.outcome === "rejected" ? verdict.msg : null,
      ...(step.state === "pending" ? { nextAttemptAt: step.nextAttemptAt } : {}),
      ...(finished ? { finishedAt: now } : {}),
    })
    .where(and(eq(deliveries.id, delivery.id), eq(deliveries.state, "pending"), eq(deliveries.attempts, delivery.attempts)))
    .returning({ id: deliveries.id });
  // Other processes learn at once that the next delivery of this notice may go.
  const followerWaits =
    step.state === "delivered" && delivery.orderKey
      ? sql`exists (select 1 from ${deliveries}
          where ${deliveries.orderKey} = ${delivery.orderKey} and ${deliveries.id} > ${delivery.id} and ${deliveries.state} = 'pending')`
      : sql`false`;
  // One statement, one round trip: this runs once per message, so it is the
  // worker's hot path. The attempt is kept even when the update finds the
  // delivery already closed by a person.
  await db.execute(
    sql`with attempt as (${recordAttempt.getSQL()}), moved as (${moveOn.getSQL()}) select pg_notify(${DELIVERY_CHANNEL}, '') from moved where ${followerWaits}`,
  );
  return { step, verdict };
}
