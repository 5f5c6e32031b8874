import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import type { ReadChange } from "@/server/contract/read-body";
import { notices } from "./notices";
import { foldedCode } from "../fold-code";
import { exchangeOutcomes, partnerSides } from "../../lib/states";

export const partnerSide = pgEnum("partner_side", partnerSides);

export const exchangeOutcome = pgEnum("exchange_outcome", exchangeOutcomes);

/**
 * Every call a partner made to the hub, as received, with the answer it got.
 * Partitioned by month of received_at (migration 0012_partition_log_by_month, server/maintenance/log-partitions.ts),
 * so the key includes it: a partitioned table's unique keys must hold its partition key.
 */
export const exchanges = pgTable(
  "exchanges",
  {
    // UUIDv7 made in the app: time-ordered, and known before the row is written
    // so the rows a call creates can point at it within one round trip.
    id: uuid().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    side: partnerSide().notNull(),
    path: text().notNull(),
    headers: jsonb().$type<Record<string, string>>().notNull(),
    requestBody: text().notNull(),
    requestTruncated: boolean().notNull().default(false),
    responseStatus: integer().notNull(),
    responseBody: jsonb().$type<Record<string, unknown>>().notNull(),
    durationMs: integer().notNull(),
    outcome: exchangeOutcome().notNull(),
    dispatchNo: text(),
    noticeId: bigint({ mode: "number" }).references(() => notices.id, { onDelete: "set null" }),
    tokenLabel: text(),
    /**
     * What reading the call changed (charset, encoding, BOM, trimmed or blank
     * codes; SPEC §3), null when it was taken as sent. A normalised call is
     * forwarded as normalised JSON, not as the received bytes.
     */
    normalisation: jsonb().$type<ReadChange[]>(),
    // Who called, as client-address.ts reads it (x-forwarded-for only behind a trusted proxy).
    clientAddress: text(),
    // The dispatchNO a refused call named. Unverified, so no notice's story reads
    // it (anyone can name a notice); only the exchange log's dispatchNO filter does.
    claimedDispatchNo: text(),
  },
  (t) => [
    primaryKey({ name: "exchanges_pkey", columns: [t.id, t.receivedAt] }),
    index("exchanges_by_received").on(t.receivedAt),
    index("exchanges_by_notice").on(t.noticeId, t.receivedAt),
    index("exchanges_by_dispatch_no").on(t.dispatchNo),
    index("exchanges_by_path_received").on(t.path, t.receivedAt),
    // Folded (foldedCode), as the log's dispatchNO filter compares a typed code: a refused call reaches no
    // notice to be found through, and partners send codes in mixed case. Partial, so only refused calls pay.
    index("exchanges_folded_claimed_dispatch_no").on(foldedCode(t.claimedDispatchNo)).where(sql`${t.claimedDispatchNo} is not null`),
  ],
);

/**
 * Refused partner calls past the logging budget (refused-calls.ts): one row per
 * client address and minute instead of one exchange per call, so a flood of
 * tokenless calls costs a counter, not rows.
 */
export const refusedCallTallies = pgTable(
  "refused_call_tallies",
  {
    clientAddress: text().notNull(),
    minute: timestamp({ withTimezone: true }).notNull(),
    calls: integer().notNull(),
    lastPath: text().notNull(),
    lastStatus: integer().notNull(),
    lastAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientAddress, t.minute] }), index("refused_call_tallies_by_minute").on(t.minute)],
);

/**
 * The first call of each distinct call (side + path + canonical body). Partners
 * retry on anything but 200, so a repeat must get the same answer and change
 * nothing: the answer is the one logged on the first call's exchange.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    key: text().primaryKey(),
    exchangeId: uuid().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idempotency_keys_by_created").on(t.createdAt)],
);
