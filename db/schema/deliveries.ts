import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  bigserial,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { partnerSide } from "./exchanges";
import { notices } from "./notices";
import { problems } from "./problems";
import { attemptOutcomes, deliveryStates } from "../../lib/states";

export const deliveryState = pgEnum("delivery_state", deliveryStates);

/**
 * The outbox: one row per accepted call, to be forwarded to the other side.
 * Written in the same transaction that accepts the call.
 */
export const deliveries = pgTable(
  "deliveries",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    // Stable across attempts so the receiver can de-duplicate.
    deliveryId: uuid().notNull().unique("deliveries_delivery_id_key"),
    exchangeId: uuid().notNull(),
    noticeId: bigint({ mode: "number" }).references(() => notices.id, { onDelete: "set null" }),
    // Deliveries sharing an order key leave in id order; null = no ordering constraint.
    orderKey: text(),
    target: partnerSide().notNull(),
    path: text().notNull(),
    // The body exactly as the partner sent it (text, not jsonb, so key order and
    // spelling survive).
    payload: text().notNull(),
    state: deliveryState().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deadlineAt: timestamp({ withTimezone: true }).notNull(),
    leaseUntil: timestamp({ withTimezone: true }),
    // Bumped by "edit and resend"; every version is kept in delivery_actions.
    payloadVersion: integer().notNull().default(1),
    lastStatus: integer(),
    lastError: text(),
    // The other side's `msg` when it refused ({"success":false}).
    answerMsg: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
    // The problem its latest failure belongs to (server/problems); kept after it is delivered, for the problem's history.
    problemId: bigint({ mode: "number" }).references(() => problems.id, { onDelete: "set null" }),
  },
  (t) => [
    // Claim order: the worker walks this and stops after the batch it wants.
    index("deliveries_pending_due").on(t.nextAttemptAt, t.id).where(sql`${t.state} = 'pending'`),
    index("deliveries_by_order_key").on(t.orderKey, t.id),
    index("deliveries_by_notice").on(t.noticeId, t.id),
    index("deliveries_by_state_created").on(t.state, t.createdAt),
    index("deliveries_by_problem").on(t.problemId, t.id).where(sql`${t.problemId} is not null`),
  ],
);

export const attemptOutcome = pgEnum("attempt_outcome", attemptOutcomes);

/**
 * One try at handing a delivery to the other side. Partitioned by month of
 * started_at like the exchange log, hence the key (id, started_at).
 */
export const deliveryAttempts = pgTable(
  "delivery_attempts",
  {
    id: bigserial({ mode: "number" }).notNull(),
    deliveryId: bigint({ mode: "number" })
      .notNull()
      .references(() => deliveries.id, { onDelete: "cascade" }),
    attemptNo: integer().notNull(),
    payloadVersion: integer().notNull(),
    url: text().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    durationMs: integer().notNull(),
    httpStatus: integer(),
    responseBody: text(),
    error: text(),
    outcome: attemptOutcome().notNull(),
    // False only when the other side surely never got the body (connection
    // refused, or an HTTP error answer): then a void may cancel it unseen.
    mayHaveArrived: boolean().notNull().default(true),
    // Which process made the attempt, for the crash and multi-instance stories.
    worker: text().notNull(),
  },
  (t) => [
    primaryKey({ name: "delivery_attempts_pkey", columns: [t.id, t.startedAt] }),
    index("delivery_attempts_by_delivery").on(t.deliveryId, t.attemptNo),
    index("delivery_attempts_by_started").on(t.startedAt),
  ],
);

export const deliveryActionKind = pgEnum("delivery_action_kind", ["retry_now", "edit_and_resend", "resolve", "cancel", "auto_cancel"]);

/** What a person (or the void rule) did to a delivery, and why. The audit trail ops and auditors read. */
export const deliveryActions = pgTable(
  "delivery_actions",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    deliveryId: bigint({ mode: "number" })
      .notNull()
      .references(() => deliveries.id, { onDelete: "cascade" }),
    action: deliveryActionKind().notNull(),
    actor: text().notNull(),
    note: text(),
    stateBefore: deliveryState().notNull(),
    stateAfter: deliveryState().notNull(),
    payloadBefore: text(),
    payloadAfter: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("delivery_actions_by_delivery").on(t.deliveryId, t.createdAt), index("delivery_actions_by_created").on(t.createdAt)],
);
