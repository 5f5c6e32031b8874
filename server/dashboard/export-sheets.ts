// What each Excel export holds: its input (the page's current filter), its
// columns in the reader's language, and its rows read by keyset in batches
// (never all at once, never by offset). Route: app/api/export/[kind]/route.ts.

import type { Writable } from "node:stream";
import { and, asc, count, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { notices } from "@/db/schema/notices";
import { sameCode } from "@/db/fold-code";
import { explainFailure } from "@/lib/i18n/explain-error";
import { endpointName, sideName } from "@/lib/i18n/glossary";
import type { Locale } from "@/lib/i18n/locale";
import type { Translate } from "@/lib/i18n/messages";
import type { MessageKey } from "@/lib/i18n/zh-cn";
import { listDeliveries } from "@/server/dashboard/list-deliveries";
import { createdAtExact, noticeSearchSchema, searchNotices } from "@/server/dashboard/search-notices";
import { writeXlsx, type XlsxColumn } from "@/server/dashboard/xlsx-writer";
import { deliveryConditions, deliveryFilterSchema } from "@/server/delivery/delivery-filter";
import { queueOf } from "@/lib/delivery-queues";
import { SHIP_FROM_STORE_SLA_MS } from "@/server/notices/rules";
import type { ExportKind } from "@/lib/states";

/** At most this many rows in one file; more is refused with a message asking for a narrower filter. */
export const EXPORT_MAX_ROWS = 20_000;


type Sheet<Input, Row> = {
  input: z.ZodType<Input>;
  /** File and sheet name, without extension. */
  title: MessageKey;
  columns: (t: Translate, locale: Locale) => XlsxColumn<Row>[];
  /** Every row, newest or oldest first as the page shows them, read in batches. */
  rows: (db: Db, input: Input, now: Date) => AsyncIterable<Row>;
  /** Whether more than `max` rows would be written. */
  exceeds: (db: Db, input: Input, max: number, now: Date) => Promise<boolean>;
};

const beijing = (t: Translate, key: MessageKey) => t("export.beijingTime", { label: t(key) });

// Search results ----------------------------------------------------------------

const searchInput = noticeSearchSchema.omit({ page: true, pageSize: true, after: true, sort: true, dir: true });
type SearchRow = Awaited<ReturnType<typeof searchNotices>>["rows"][number];

async function* searchRows(db: Db, input: z.output<typeof searchInput>): AsyncIterable<SearchRow> {
  let after: { createdAt: string; id: number } | undefined;
  for (;;) {
    const page = await searchNotices(db, { ...input, sort: "createdAt", dir: "desc", page: 0, pageSize: 100, after });
    yield* page.rows;
    if (!page.next) return;
    after = page.next;
  }
}

const searchSheet: Sheet<z.output<typeof searchInput>, SearchRow> = {
  input: searchInput,
  title: "export.title.search",
  columns: (t) => [
    { header: t("notice.dispatchNo"), width: 22, value: (row) => row.dispatchNo },
    { header: t("notice.kind"), width: 10, value: (row) => t(`kind.${row.kind}`) },
    { header: t("notice.status"), width: 10, value: (row) => t(`status.${row.status}`) },
    { header: t("notice.shop"), width: 10, value: (row) => row.shopCode },
    { header: t("notice.purchaseCode"), width: 18, value: (row) => row.purchaseCode },
    { header: t("notice.memberCode"), width: 14, value: (row) => row.memberCode },
    { header: t("notice.receiver"), width: 10, value: (row) => row.receiver },
    { header: t("notice.phone"), width: 15, value: (row) => row.phone },
    { header: beijing(t, "notice.createdAt"), width: 20, value: (row) => row.createdAt },
    { header: beijing(t, "notice.updatedAt"), width: 20, value: (row) => row.updatedAt },
    { header: t("search.anomalies"), width: 8, value: (row) => row.openAnomalies },
    { header: t("export.syncProblems"), width: 10, value: (row) => row.problemDeliveries },
    { header: t("export.matched"), width: 24, value: (row) => row.matches.map((match) => `${t(`searchKey.${match.key}`)} ${match.value}`).join("；") || null },
  ],
  rows: (db, input) => searchRows(db, input),
  async exceeds(db, input, max) {
    // The row after the bound exists: one page read at that offset (the bound is a multiple of the page size).
    const probe = await searchNotices(db, { ...input, sort: "createdAt", dir: "desc", page: Math.floor(max / 100), pageSize: 100 });
    return probe.rows.length > 0;
  },
};

// A delivery queue ----------------------------------------------------------------

type DeliveryRow = Awaited<ReturnType<typeof listDeliveries>>["rows"][number];

async function* deliveryRows(db: Db, filter: z.output<typeof deliveryFilterSchema>): AsyncIterable<DeliveryRow> {
  let before: number | undefined;
  for (;;) {
    const page = await listDeliveries(db, { filter, pageSize: 200, before });
    yield* page.rows;
    if (page.nextCursor === null) return;
    before = page.nextCursor;
  }
}

const deliverySheet: Sheet<z.output<typeof deliveryFilterSchema>, DeliveryRow> = {
  input: deliveryFilterSchema,
  title: "export.title.deliveries",
  columns: (t, locale) => [
    { header: t("delivery.deliveryId"), width: 10, value: (row) => row.id },
    { header: t("notice.dispatchNo"), width: 22, value: (row) => row.dispatchNo },
    { header: t("notice.shop"), width: 10, value: (row) => row.shopCode },
    { header: t("delivery.path"), width: 18, value: (row) => endpointName(row.path, locale) },
    { header: t("endpoint.pathHint"), width: 26, value: (row) => row.path },
    { header: t("delivery.target"), width: 12, value: (row) => sideName(row.target, locale) },
    { header: t("delivery.state"), width: 10, value: (row) => t(`queue.${queueOf(row)}`) },
    { header: t("delivery.attemptsHead"), width: 8, value: (row) => row.attempts },
    { header: beijing(t, "delivery.nextAttempt"), width: 20, value: (row) => (row.state === "pending" ? row.nextAttemptAt : null) },
    {
      header: t("delivery.reason"),
      width: 50,
      value: (row) =>
        row.blockedBy !== null
          ? t("delivery.blockedBy", { id: row.blockedBy })
          : row.state === "delivered"
            ? null
            : explainFailure({ error: row.lastError, httpStatus: row.lastStatus, msg: row.answerMsg }, t),
    },
    { header: t("export.originalError"), width: 30, value: (row) => (row.state === "delivered" ? null : (row.answerMsg ?? row.lastError)) },
    { header: beijing(t, "delivery.created"), width: 20, value: (row) => row.createdAt },
  ],
  rows: (db, filter) => deliveryRows(db, filter),
  async exceeds(db, filter, max) {
    const [row] = await db
      .select({ n: count() })
      .from(db.select({ id: deliveries.id }).from(deliveries).where(deliveryConditions(filter)).limit(max + 1).as("bounded"));
    return (row?.n ?? 0) > max;
  },
};

// Late ship-from-store notices (the overview's late-store list, notice by notice) ------------

const lateInput = z.object({ shopCode: z.string().trim().min(1).max(64).optional() });
type LateRow = { id: number; shopCode: string | null; dispatchNo: string; receiver: string | null; phone: string | null; createdAt: Date; exact: string };

/** Ship-from-store notices still pending past the 24 h window (SPEC §4; seed: 门店出库回传, over24hReason). */
const lateCondition = (input: z.output<typeof lateInput>, now: Date) =>
  and(
    eq(notices.kind, "ship_from_store"),
    eq(notices.status, "pending"),
    lt(notices.createdAt, new Date(now.getTime() - SHIP_FROM_STORE_SLA_MS)),
    // From the page's URL, which a person may edit: compared as every shop filter is (sameCode, plain: notices_by_shop_created).
    input.shopCode ? sameCode(notices.shopCode, input.shopCode, "plain") : undefined,
  );

async function* lateRows(db: Db, input: z.output<typeof lateInput>, now: Date): AsyncIterable<LateRow> {
  let after: { createdAt: string; id: number } | undefined;
  for (;;) {
    const rows = await db
      .select({ id: notices.id, shopCode: notices.shopCode, dispatchNo: notices.dispatchNo, receiver: notices.receiver, phone: notices.phone, createdAt: notices.createdAt, exact: createdAtExact })
      .from(notices)
      .where(and(lateCondition(input, now), after ? sql`(${notices.createdAt}, ${notices.id}) > (${after.createdAt}::timestamptz, ${after.id}::bigint)` : undefined))
      .orderBy(asc(notices.createdAt), asc(notices.id))
      .limit(500);
    yield* rows;
    const last = rows.at(-1);
    if (rows.length < 500 || !last) return;
    after = { createdAt: last.exact, id: last.id };
  }
}

const lateSheet: Sheet<z.output<typeof lateInput>, LateRow> = {
  input: lateInput,
  title: "export.title.lateStores",
  columns: (t) => [
    { header: t("notice.shop"), width: 10, value: (row) => row.shopCode },
    { header: t("notice.dispatchNo"), width: 22, value: (row) => row.dispatchNo },
    { header: t("notice.receiver"), width: 10, value: (row) => row.receiver },
    { header: t("notice.phone"), width: 15, value: (row) => row.phone },
    { header: beijing(t, "export.pushedAt"), width: 20, value: (row) => row.createdAt },
  ],
  rows: lateRows,
  async exceeds(db, input, max, now) {
    const [row] = await db.select({ n: count() }).from(db.select({ id: notices.id }).from(notices).where(lateCondition(input, now)).limit(max + 1).as("bounded"));
    return (row?.n ?? 0) > max;
  },
};

/** Stops after `max` rows; `cut()` tells afterwards whether rows were left out. */
function bounded<Row>(rows: AsyncIterable<Row>, max: number) {
  let cut = false;
  async function* take() {
    let n = 0;
    for await (const row of rows) {
      if (n === max) {
        cut = true;
        return;
      }
      n++;
      yield row;
    }
  }
  return { rows: take(), cut: () => cut };
}

function prepare<Input, Row>(sheet: Sheet<Input, Row>, raw: unknown, db: Db, now: Date) {
  const input = sheet.input.parse(raw);
  return {
    title: sheet.title,
    exceeds: (max: number) => sheet.exceeds(db, input, max, now),
    /**
     * Streams the sheet to `stream`; `mask` rewrites each row before it is
     * written (phones for viewers). A file cut at `max` rows (more rows arrived
     * than the check saw) ends with a row saying so. Resolves with the rows written.
     */
    write(options: { stream: Writable; t: Translate; locale: Locale; mask: <T>(row: T) => T; max: number }) {
      const { rows, cut } = bounded(sheet.rows(db, input, now), options.max);
      async function* masked() {
        for await (const row of rows) yield options.mask(row);
      }
      return writeXlsx({
        stream: options.stream,
        sheetName: options.t(sheet.title),
        columns: sheet.columns(options.t, options.locale),
        rows: masked(),
        footer: () => (cut() ? options.t("export.cut", { max: options.max }) : undefined),
      });
    },
  };
}

/**
 * One export ready to run: `raw` is the page's filter as sent by the browser,
 * checked with the sheet's own schema (throws ZodError when it does not fit).
 */
export function prepareExport(kind: ExportKind, raw: unknown, db: Db, now = new Date()) {
  switch (kind) {
    case "search":
      return prepare(searchSheet, raw, db, now);
    case "deliveries":
      return prepare(deliverySheet, raw, db, now);
    case "late-stores":
      return prepare(lateSheet, raw, db, now);
  }
}
