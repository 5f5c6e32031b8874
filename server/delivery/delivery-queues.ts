// Kept apart from the filter's SQL so pages can import the queue names without
// pulling the database layer into the browser bundle.

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

/**
 * Not yet delivered, resolved or cancelled: such a delivery holds back the later
 * ones of its notice, and is what a person can still act on.
 */
export const openDeliveryStates = ["pending", "rejected", "timed_out"] as const;
