import type { LiveTopic } from "@/lib/states";

/**
 * Which queries show what a topic names (the tRPC procedure paths): on a live
 * update the open page refetches those of them it has on screen, nothing else.
 * One place for the mapping; a procedure that shows notices, deliveries,
 * problems, calls or alert sends belongs here.
 */
export const queriesShowing: Record<LiveTopic, readonly string[]> = {
  notices: ["notices.search", "notices.searchCount", "notices.story", "logs.overview"],
  deliveries: [
    "deliveries.list",
    "deliveries.queueCounts",
    "deliveries.get",
    "deliveries.retryFollowUp",
    "notices.search",
    "notices.searchCount",
    "notices.story",
    "notices.timeline",
    "problems.blockingHeads",
    "problems.get",
    "logs.overview",
  ],
  problems: ["problems.list", "problems.counts", "problems.get", "problems.blockingHeads", "logs.overview"],
  exchanges: ["logs.inbound", "logs.inboundCount", "logs.outbound", "logs.outboundCount", "logs.overview", "notices.timeline"],
  alert_sends: ["alerts.sends"],
};

/** The distinct tRPC query-key prefixes (`[["deliveries", "list"]]`) to invalidate for a batch of topics. */
export function queryKeysFor(topics: readonly LiveTopic[]): string[][][] {
  const paths = new Set(topics.flatMap((topic) => queriesShowing[topic] ?? []));
  return [...paths].map((path) => [path.split(".")]);
}
