// The delivery queues and which one a delivery sits in: plain data the server's
// filter (server/delivery/delivery-filter.ts) and the pages share, no imports.

/**
 * The queues ops see. `blocked` and `retrying` are both state = pending: blocked
 * ones wait behind an unfinished earlier delivery of the same notice (the head).
 */
export const deliveryQueues = [
  "queued",
  "retrying",
  "blocked",
  "timed_out",
  "rejected",
  "delivered",
  "resolved",
  "cancelled",
] as const;
export type DeliveryQueue = (typeof deliveryQueues)[number];

// The open delivery states are in lib/states.ts, with every other list of states.

/**
 * The queue a delivery sits in, from its state, attempts and head-of-line
 * (blockedBy: the open earlier delivery holding it back, null if none) — the
 * same rule as the queue filter in delivery-filter.ts, so a row's label is its
 * tab's label (issue 12: a tab 重试中 with rows saying 待投递 was wrong). Without
 * attempts or blockedBy (an audit line's before/after state) a pending
 * delivery counts as waiting to be sent.
 */
export function queueOf(delivery: { state: string; attempts?: number; blockedBy?: number | null }): DeliveryQueue {
  if (delivery.state !== "pending") return delivery.state as DeliveryQueue;
  if (delivery.blockedBy !== undefined && delivery.blockedBy !== null) return "blocked";
  return (delivery.attempts ?? 0) > 0 ? "retrying" : "queued";
}

// Queue counts are bounded like every list's total: lib/bounded-count.ts.
