import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries, deliveryActions } from "@/db/schema/deliveries";
import { hasUnfinishedPredecessor } from "@/server/delivery/delivery-filter";
import type { PartnerSide } from "@/server/contract/endpoints";
import { liveConfig } from "@/server/settings/live-settings";
import { configuredTargets } from "@/server/delivery/targets";

/**
 * What became of deliveries a person sent again (retry now, edit & resend).
 *
 * The hub answers a retry at once, before any attempt: the attempts happen in
 * the worker. Rather than hold the request open, the dashboard follows the
 * batch — the audit rows one action wrote share actor and `created_at` — and
 * asks here until nothing is left waiting or its bounded wait
 * (`followRetryForMs`) is over. Each delivery is counted once:
 *
 * - `delivered`: the other side took it;
 * - `failing`: an attempt since the retry failed (still retrying), or it was
 *   rejected / timed out again;
 * - `blocked`: not attempted, an earlier delivery of its notice is still open;
 * - `noTarget`: not attempted, its side has no delivery target configured;
 * - `waiting`: not attempted yet (the worker has not reached it);
 * - `closed`: resolved or cancelled by someone meanwhile.
 */
export const retryOutcomes = ["delivered", "failing", "blocked", "noTarget", "waiting", "closed"] as const;
export type RetryOutcome = (typeof retryOutcomes)[number];

export type FollowedDelivery = {
  state: (typeof deliveries.$inferSelect)["state"];
  /** An attempt started at or after the action. */
  attemptedSince: boolean;
  /** An earlier delivery of the same notice is still open. */
  blocked: boolean;
  /** Its side has a delivery target configured. */
  hasTarget: boolean;
};

/** One delivery's outcome so far (rule above). */
export function retryOutcomeOf(delivery: FollowedDelivery): RetryOutcome {
  if (delivery.state === "delivered") return "delivered";
  if (delivery.state === "resolved" || delivery.state === "cancelled") return "closed";
  if (delivery.state === "rejected" || delivery.state === "timed_out" || delivery.attemptedSince) return "failing";
  if (delivery.blocked) return "blocked";
  if (!delivery.hasTarget) return "noTarget";
  return "waiting";
}

export type RetryFollowUp = Record<RetryOutcome, number> & {
  total: number;
  /** Nothing is `waiting` any more: the rest will not change without a person or a later retry. */
  settled: boolean;
  /** The most frequent failure reasons (the other side's `msg`, the error, or the HTTP status), at most 3. */
  reasons: { reason: string; n: number }[];
};

/**
 * The outcome so far of the deliveries `actor` sent again at `at` (the
 * `at` a retry or edit & resend answered with). Returns counts per outcome.
 * `targets`: the sides that have a delivery target (default: those configured now).
 */
export async function followRetriedDeliveries(
  db: Db,
  input: { actor: string; at: Date; targets?: PartnerSide[] },
): Promise<RetryFollowUp> {
  const targets = input.targets ?? configuredTargets(liveConfig());
  const rows = await db
    .select({
      state: deliveries.state,
      target: deliveries.target,
      lastError: deliveries.lastError,
      lastStatus: deliveries.lastStatus,
      answerMsg: deliveries.answerMsg,
      attemptedSince: sql<boolean>`exists (select 1 from delivery_attempts a where a.delivery_id = ${deliveries.id} and a.started_at >= ${input.at.toISOString()}::timestamptz)`,
      blocked: sql<boolean>`${hasUnfinishedPredecessor}`,
    })
    .from(deliveryActions)
    .innerJoin(deliveries, eq(deliveries.id, deliveryActions.deliveryId))
    .where(
      and(
        eq(deliveryActions.actor, input.actor),
        eq(deliveryActions.createdAt, input.at),
        inArray(deliveryActions.action, ["retry_now", "edit_and_resend"]),
      ),
    );
  const summary: RetryFollowUp = { total: rows.length, settled: false, reasons: [], delivered: 0, failing: 0, blocked: 0, noTarget: 0, waiting: 0, closed: 0 };
  const reasons = new Map<string, number>();
  for (const row of rows) {
    const outcome = retryOutcomeOf({ ...row, hasTarget: targets.includes(row.target) });
    summary[outcome]++;
    if (outcome !== "failing") continue;
    const reason = row.answerMsg ?? row.lastError ?? (row.lastStatus ? `HTTP ${row.lastStatus}` : null);
    if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  summary.settled = summary.waiting === 0;
  summary.reasons = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([reason, n]) => ({ reason, n }));
  return summary;
}

/**
 * How long the dashboard follows a batch of `n` deliveries before it reports
 * what it has (ms): the rounds of attempts the worker needs at `concurrency`,
 * each up to the attempt timeout, plus 10 s for the claim; at most 2 minutes.
 */
export function followRetryForMs(n: number, settings: { attemptTimeoutMs: number; concurrency: number }): number {
  const rounds = Math.max(1, Math.ceil(n / settings.concurrency));
  return Math.min(120_000, rounds * settings.attemptTimeoutMs + 10_000);
}
