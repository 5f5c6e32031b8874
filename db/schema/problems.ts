import { bigint, bigserial, index, integer, pgEnum, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";
import { partnerSide } from "./exchanges";
import { problemStates } from "../../lib/states";

/** See server/problems/problem-rules.ts for what moves a problem between these. */
export const problemState = pgEnum("problem_state", problemStates);

/**
 * Failed deliveries grouped for triage (SPEC §8): one row per target side,
 * endpoint path, failure kind and — for a rejection — the other side's `msg`.
 * Deliveries point at their problem (`deliveries.problem_id`); the counters and
 * the state are kept by server/problems/apply-problems.ts in the transaction
 * that changes a delivery. The alert sender reads this table.
 */
export const problems = pgTable(
  "problems",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    side: partnerSide().notNull(),
    path: text().notNull(),
    // One of lib/failure-kinds.ts; text so a new kind needs no migration.
    failureKind: text().notNull(),
    // The rejection's msg; '' for every other kind (so the unique key holds without NULLs).
    msg: text().notNull().default(""),
    state: problemState().notNull().default("open"),
    // Deliveries in this problem still open (pending, rejected, timed out).
    openCount: integer().notNull().default(0),
    // Deliveries that ever joined it.
    totalCount: integer().notNull().default(0),
    firstSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    // The last time it went to open (created, or reopened after resolving).
    openedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp({ withTimezone: true }),
    exampleDeliveryId: bigint({ mode: "number" }),
    exampleError: text(),
    acknowledgedBy: text(),
    acknowledgedAt: timestamp({ withTimezone: true }),
    note: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("problems_key").on(t.side, t.path, t.failureKind, t.msg),
    index("problems_by_state_last_seen").on(t.state, t.lastSeenAt),
  ],
);

export type Problem = typeof problems.$inferSelect;
export type ProblemState = Problem["state"];
