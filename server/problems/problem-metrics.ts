import { inArray, sql } from "drizzle-orm";
import { getHubDatabase } from "@/db/client";
import { problems } from "@/db/schema/problems";
import { log } from "@/server/log";
import { Gauge, hubMetrics, metricOnce } from "@/server/metrics";
import { activeProblemStates, partnerSides } from "@/lib/states";

/**
 * `hub_problems_open{side, state}`: problems that need someone (state open or
 * acknowledged) per target side, read at scrape time. The problems table holds
 * one row per side × path × failure kind × msg, so the count stays small.
 * A scrape while the database is away leaves it unset (logged at warn).
 */
export function registerProblemMetrics(): void {
  metricOnce(
    "hub_problems_open",
    () =>
      new Gauge({
        name: "hub_problems_open",
        help: "Problems needing someone (open or acknowledged), by target side and state.",
        labelNames: ["side", "state"] as const,
        registers: [hubMetrics().registry],
        async collect() {
          try {
            const { db } = await getHubDatabase();
            const rows = await db
              .select({ side: problems.side, state: problems.state, n: sql<number>`count(*)::int`.mapWith(Number) })
              .from(problems)
              .where(inArray(problems.state, [...activeProblemStates]))
              .groupBy(problems.side, problems.state);
            this.reset();
            for (const side of partnerSides) for (const state of activeProblemStates) this.set({ side, state }, 0);
            for (const row of rows) this.set({ side: row.side, state: row.state }, row.n);
          } catch (error) {
            this.reset();
            log.warn({ err: error, component: "metrics" }, "metrics: problems not readable");
          }
        },
      }),
  );
}
