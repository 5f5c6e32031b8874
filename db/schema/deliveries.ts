import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { partnerSide } from "./exchanges";
import { notices } from "./notices";

export const deliveryState = pgEnum("delivery_state", [
  "pending",
  "delivered",
  "rejected",
  "timed_out",
  "resolved",
  "cancelled",
]);

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
    lastStatus: integer(),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("deliveries_pending_due").on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index("deliveries_by_order_key").on(t.orderKey, t.id),
    index("deliveries_by_notice").on(t.noticeId, t.id),
    index("deliveries_by_state_created").on(t.state, t.createdAt),
  ],
);
