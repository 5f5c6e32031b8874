import type { RouterInputs } from "@/trpc/react";
import { deliveryQueues, type DeliveryQueue } from "@/lib/delivery-queues";
import { FIRST_QUEUE } from "@/components/deliveries/first-queue";

/** The deliveries list's filter, as the procedure takes it. */
export type DeliveryFilter = NonNullable<RouterInputs["deliveries"]["list"]["filter"]>;

/** What the deliveries view shows, all of it kept in the URL so a view can be shared in a chat message. */
export type DeliveriesViewState = {
  queue: DeliveryQueue;
  filter: Omit<DeliveryFilter, "queue" | "ids" | "createdFrom" | "createdTo">;
  /** Keyset paging: the page of deliveries with ids below this one; absent for the first page. */
  before?: number;
  /** The blocked queue grouped by head instead of one row per delivery. */
  byHead: boolean;
};

const NUMBER_KEYS = ["olderThanMinutes", "noticeId", "problemId", "blockedBy", "headOf"] as const;
const TEXT_KEYS = ["path", "shopCode"] as const;

const positiveInt = (value: string | null) => {
  const n = Number(value);
  return value !== null && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

/**
 * Reads `?queue=timed_out&target=oms&path=/pos/ordermake&problemId=3&before=1200&byHead=1`.
 * Unknown or malformed values are dropped (a hand-edited link still opens).
 */
export function readDeliveriesUrl(params: { get(name: string): string | null }): DeliveriesViewState {
  const queueParam = params.get("queue");
  const queue = (deliveryQueues as readonly string[]).includes(queueParam ?? "") ? (queueParam as DeliveryQueue) : FIRST_QUEUE;
  const filter: DeliveriesViewState["filter"] = {};
  const target = params.get("target");
  if (target === "pos" || target === "oms") filter.target = target;
  for (const key of TEXT_KEYS) {
    const value = params.get(key)?.trim();
    if (value) filter[key] = value.slice(0, 64);
  }
  for (const key of NUMBER_KEYS) {
    const value = positiveInt(params.get(key));
    if (value !== undefined && (value > 0 || key === "olderThanMinutes")) filter[key] = value;
  }
  if (filter.olderThanMinutes === 0) delete filter.olderThanMinutes;
  const before = positiveInt(params.get("before"));
  return { queue, filter, ...(before ? { before } : {}), byHead: params.get("byHead") === "1" };
}

/** The query string for a view state, in a stable order, defaults left out. */
export function deliveriesUrlQuery(state: DeliveriesViewState): string {
  const query = new URLSearchParams();
  query.set("queue", state.queue);
  if (state.filter.target) query.set("target", state.filter.target);
  for (const key of TEXT_KEYS) if (state.filter[key]) query.set(key, state.filter[key]);
  for (const key of NUMBER_KEYS) if (state.filter[key] !== undefined) query.set(key, String(state.filter[key]));
  if (state.before) query.set("before", String(state.before));
  if (state.byHead) query.set("byHead", "1");
  return query.toString();
}
