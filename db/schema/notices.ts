import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { foldedCode } from "../fold-code";
import { noticeStatuses, anomalyKinds } from "../../lib/states";

export const noticeKind = pgEnum("notice_kind", ["store_order", "ship_from_store"]);

export const noticeStatus = pgEnum("notice_status", noticeStatuses);

export const anomalyKind = pgEnum("anomaly_kind", anomalyKinds);

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

export const notices = pgTable(
  "notices",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    dispatchNo: text().notNull(),
    kind: noticeKind().notNull(),
    status: noticeStatus().notNull().default("pending"),
    shopCode: text().notNull(),
    // purchaseCode (store order) and purchaseNumber (ship from store) are the
    // same thing, the sales receipt number: one column, one search index.
    purchaseCode: text(),
    memberCode: text(),
    receiver: text(),
    phone: text(),
    // Customers quote the last four digits; a btree on them keeps that search
    // an index lookup instead of a LIKE over every phone.
    phoneTail: text(),
    // What people type for a phone (SPEC §6): its digits, a +86 / 0086 country
    // prefix dropped from a mobile number. Same rule as searchablePhone().
    phoneDigits: text().generatedAlwaysAs(
      sql`regexp_replace(regexp_replace(phone, '[^0-9]', '', 'g'), '^(0086|86)(1[0-9]{10})$', '\\2')`,
    ),
    province: text(),
    city: text(),
    county: text(),
    address: text(),
    preferredExpress: text(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
    shippedAt: timestamp({ withTimezone: true }),
    voidedAt: timestamp({ withTimezone: true }),
    refusedAt: timestamp({ withTimezone: true }),
    refuseReason: text(),
    over24hReason: text(),
    createdByExchangeId: uuid().notNull(),
  },
  (t) => [
    uniqueIndex("notices_dispatch_no_key").on(t.dispatchNo),
    index("notices_by_purchase_code").on(t.purchaseCode),
    index("notices_folded_dispatch_no").on(foldedCode(t.dispatchNo)),
    index("notices_folded_purchase_code").on(foldedCode(t.purchaseCode)),
    index("notices_folded_member_code").on(foldedCode(t.memberCode)),
    index("notices_by_member_code").on(t.memberCode),
    // A common name is on thousands of notices: the search reads a page of them in this order.
    index("notices_by_receiver_created").on(t.receiver, t.createdAt),
    index("notices_by_phone").on(t.phone),
    index("notices_by_phone_tail").on(t.phoneTail),
    index("notices_by_phone_digits").on(t.phoneDigits),
    // A name is found by its beginning: LIKE 'prefix%' walks this in any collation. created_at and id
    // ride along so the search's name-prefix branch (the newest notices of every name that starts with
    // the term) sorts from the index alone: a common two-character name starts thousands of notices'
    // names, and reading each notice's page for its created_at made that branch p95 106 ms at 1 M notices.
    index("notices_by_receiver_prefix_created").using("btree", sql`${t.receiver} text_pattern_ops`, t.createdAt, t.id),
    index("notices_by_shop_created").on(t.shopCode, t.createdAt),
    index("notices_by_created").on(t.createdAt),
    index("notices_by_status_created").on(t.status, t.createdAt),
  ],
);

export const noticeItems = pgTable(
  "notice_items",
  {
    noticeId: bigint({ mode: "number" })
      .notNull()
      .references(() => notices.id, { onDelete: "cascade" }),
    product: text().notNull(),
    color: text().notNull(),
    size: text().notNull(),
    qtyOrdered: integer().notNull(),
  },
  (t) => [primaryKey({ name: "notice_items_pkey", columns: [t.noticeId, t.product, t.color, t.size] })],
);

/** One warehouse's part of a split store order (OMS "transferCode"). */
export const transfers = pgTable(
  "transfers",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    noticeId: bigint({ mode: "number" })
      .notNull()
      .references(() => notices.id, { onDelete: "cascade" }),
    transferCode: text().notNull(),
    shipCode: text(),
    shipName: text(),
    express: text(),
    waybillCode: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("transfers_notice_transfer_code_key").on(t.noticeId, t.transferCode),
    index("transfers_by_transfer_code").on(t.transferCode),
    index("transfers_folded_transfer_code").on(foldedCode(t.transferCode)),
  ],
);

/** A parcel: from a warehouse transfer (store order) or from a store checkout (transfer_id null). */
export const packages = pgTable(
  "packages",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    noticeId: bigint({ mode: "number" })
      .notNull()
      .references(() => notices.id, { onDelete: "cascade" }),
    transferId: bigint({ mode: "number" }).references(() => transfers.id, { onDelete: "cascade" }),
    express: text(),
    waybillCode: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index("packages_by_waybill_code").on(t.waybillCode),
    index("packages_folded_waybill_code").on(foldedCode(t.waybillCode)),
    index("packages_by_notice").on(t.noticeId),
  ],
);

/** One shipped piece. Checkout sends serials without SKU, so the SKU may be unknown. */
export const pieces = pgTable(
  "pieces",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    noticeId: bigint({ mode: "number" })
      .notNull()
      .references(() => notices.id, { onDelete: "cascade" }),
    packageId: bigint({ mode: "number" })
      .notNull()
      .references(() => packages.id, { onDelete: "cascade" }),
    product: text(),
    color: text(),
    size: text(),
    sn: text(),
  },
  (t) => [
    index("pieces_by_sn").on(t.sn).where(sql`${t.sn} is not null`),
    index("pieces_folded_sn").on(foldedCode(t.sn)),
    index("pieces_by_notice").on(t.noticeId),
    index("pieces_by_package").on(t.packageId),
  ],
);

/** Goods coming back: OMS `receive` (store order) or store `refund` (ship from store). */
export const noticeReturns = pgTable(
  "notice_returns",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    noticeId: bigint({ mode: "number" }).references(() => notices.id, { onDelete: "cascade" }),
    exchangeId: uuid().notNull(),
    transferCode: text(),
    receiverCode: text(),
    receiverName: text(),
    shopCode: text(),
    express: text(),
    waybillCode: text(),
    product: text(),
    color: text(),
    size: text(),
    sn: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index("notice_returns_by_notice").on(t.noticeId),
    index("notice_returns_by_sn").on(t.sn),
    index("notice_returns_folded_sn").on(foldedCode(t.sn)),
    index("notice_returns_folded_waybill_code").on(foldedCode(t.waybillCode)),
    index("notice_returns_by_waybill_code").on(t.waybillCode),
  ],
);

export const waybillChanges = pgTable(
  "waybill_changes",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    noticeId: bigint({ mode: "number" }).references(() => notices.id, { onDelete: "cascade" }),
    packageId: bigint({ mode: "number" }).references(() => packages.id, { onDelete: "cascade" }),
    exchangeId: uuid().notNull(),
    oldWaybillCode: text().notNull(),
    newExpress: text(),
    newWaybillCode: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("waybill_changes_by_old_waybill_code").on(t.oldWaybillCode),
    index("waybill_changes_folded_old_waybill_code").on(foldedCode(t.oldWaybillCode)),
    index("waybill_changes_folded_new_waybill_code").on(foldedCode(t.newWaybillCode)),
    index("waybill_changes_by_new_waybill_code").on(t.newWaybillCode),
    index("waybill_changes_by_notice").on(t.noticeId),
  ],
);

/** Something ops should look at. Accepted calls can still be odd: goods moved, so the hub records rather than refuses. */
export const anomalies = pgTable(
  "anomalies",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    noticeId: bigint({ mode: "number" }).references(() => notices.id, { onDelete: "cascade" }),
    exchangeId: uuid().notNull(),
    kind: anomalyKind().notNull(),
    detail: text().notNull(),
    data: jsonb(),
    createdAt: createdAt(),
    resolvedAt: timestamp({ withTimezone: true }),
    resolvedBy: text(),
  },
  (t) => [
    index("anomalies_by_notice").on(t.noticeId),
    index("anomalies_open_by_created").on(t.createdAt).where(sql`${t.resolvedAt} is null`),
  ],
);
