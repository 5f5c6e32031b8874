import { and, desc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { noticeReturns, pieces } from "@/db/schema/notices";
import { accepted, noticeNotFound, type ApplyResult, type CallContext } from "@/server/notices/apply-result";
import { lockNotice, lockNoticeById, noticeRef, touchNotice } from "@/server/notices/lock-notice";
import type { AnomalyDraft } from "@/server/notices/rules";
import type { omsReceive, posRefund } from "@/server/contract/messages";

type ReturnRow = typeof noticeReturns.$inferInsert;
// Every column either message may fill; one it leaves out is stored as null (none of them has another default).
const returnColumns = [
  "noticeId", "exchangeId", "transferCode", "receiverCode", "receiverName", "shopCode", "express", "waybillCode",
  "product", "color", "size", "sn", "createdAt",
] as const satisfies readonly (keyof ReturnRow)[];

// Built once (db/prepared-in-transaction.ts): every return runs these.
const insertReturn = preparedInTransaction("record_return", (db) =>
  db.insert(noticeReturns).values(Object.fromEntries(returnColumns.map((column) => [column, sql.placeholder(column)])) as unknown as ReturnRow),
);

const shippedOnNotice = preparedInTransaction("return_shipped_on_notice", (db) =>
  db
    .select({ id: pieces.id })
    .from(pieces)
    .where(and(eq(pieces.noticeId, sql.placeholder("noticeId")), eq(pieces.sn, sql.placeholder("sn"))))
    .limit(1),
);

const latestShipped = preparedInTransaction("return_latest_shipped", (db) =>
  db.select({ noticeId: pieces.noticeId }).from(pieces).where(eq(pieces.sn, sql.placeholder("sn"))).orderBy(desc(pieces.id)).limit(1),
);

function recordReturn(tx: Db, row: Partial<Record<(typeof returnColumns)[number], unknown>>) {
  return insertReturn.run(tx, Object.fromEntries(returnColumns.map((column) => [column, row[column] ?? null])));
}

const unmatchedReturn = (sn: string, where: string): AnomalyDraft => ({
  kind: "unmatched_return",
  detail: `退货件码 ${sn} ${where} (returned serial not found among shipped pieces)`,
  data: { sn },
});

/** `oms/receive`: goods of a store order came back to a warehouse or store. */
export async function recordOmsReturn(tx: Db, message: z.infer<typeof omsReceive>, call: CallContext): Promise<ApplyResult> {
  const notice = await lockNotice(tx, message.dispatchNO, "store_order");
  if (!notice) return noticeNotFound;
  // Independent of each other: sent together (postgres.js pipelines them on the transaction's connection).
  const [shipped] = await Promise.all([
    message.sn ? shippedOnNotice.run(tx, { noticeId: notice.id, sn: message.sn }) : undefined,
    recordReturn(tx, {
      noticeId: notice.id,
      exchangeId: call.exchangeId,
      transferCode: message.transferCode,
      receiverCode: message.receiverCode,
      receiverName: message.receiverName,
      express: message.express,
      waybillCode: message.waybillCode,
      product: message.product,
      color: message.color,
      size: message.size,
      sn: message.sn || null,
      createdAt: call.now,
    }),
    touchNotice(tx, notice.id, call.now),
  ]);
  const anomalies = message.sn && shipped?.length === 0 ? [unmatchedReturn(message.sn, "不在此通知单出库记录中")] : [];
  return accepted(noticeRef(notice), anomalies);
}

/**
 * `pos/refund`: a store received returned goods. The message has no dispatchNO:
 * the notice is the latest one that shipped this serial. Unmatched returns are
 * still accepted and forwarded, and flagged.
 */
export async function recordStoreReturn(tx: Db, message: z.infer<typeof posRefund>, call: CallContext): Promise<ApplyResult> {
  const [shipped] = await latestShipped.run(tx, { sn: message.sn });
  const notice = shipped ? await lockNoticeById(tx, shipped.noticeId) : null;
  await Promise.all([
    recordReturn(tx, {
      noticeId: notice?.id ?? null,
      exchangeId: call.exchangeId,
      shopCode: message.shopCode,
      express: message.express,
      waybillCode: message.waybillCode,
      sn: message.sn,
      createdAt: call.now,
    }),
    notice ? touchNotice(tx, notice.id, call.now) : undefined,
  ]);
  if (!notice) return accepted(null, [unmatchedReturn(message.sn, "未找到对应通知单")]);
  return accepted(noticeRef(notice));
}
