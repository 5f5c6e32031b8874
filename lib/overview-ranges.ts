// Shared by the overview's query (server/dashboard/get-overview.ts) and its page.

/** The overview's time ranges (issue 11: 1 h / 24 h / 7 d). */
export const overviewRanges = ["1h", "24h", "7d"] as const;
export type OverviewRange = (typeof overviewRanges)[number];
