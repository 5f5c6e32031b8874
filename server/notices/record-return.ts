import { and, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { noticeReturns, pieces } from "@/db/schema/notices";
import { accepted, noticeNotFound, type ApplyResult, type CallContext } from "@/server/notices/apply-result";
import { lockNotice, lockNoticeById, noticeRef, touchNotice } from "@/server/notices/lock-notice";
import type { AnomalyDraft } from "@/server/notices/rules";
import type { omsReceive, posRefund } from "@/server/contract/messages";

async function wasShipped(tx: Db, noticeId: number, sn: string) {
  const [piece] = await tx
    .select({ id: pieces.id })
    .from(pieces)
    .where(and(eq(pieces.noticeId, noticeId), eq(pieces.sn, sn)))
    .limit(1);
  return piece !== undefined;
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
  await tx.insert(noticeReturns).values({
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
  });
  await touchNotice(tx, notice.id, call.now);
  const anomalies =
    message.sn && !(await wasShipped(tx, notice.id, message.sn)) ? [unmatchedReturn(message.sn, "不在此通知单出库记录中")] : [];
  return accepted(noticeRef(notice), anomalies);
}

/**
 * `pos/refund`: a store received returned goods. The message has no dispatchNO:
 * the notice is the latest one that shipped this serial. Unmatched returns are
 * still accepted and forwarded, and flagged.
 */
export async function recordStoreReturn(tx: Db, message: z.infer<typeof posRefund>, call: CallContext): Promise<ApplyResult> {
  const [shipped] = await tx
    .select({ noticeId: pieces.noticeId })
    .from(pieces)
    .where(eq(pieces.sn, message.sn))
    .orderBy(desc(pieces.id))
    .limit(1);
  const notice = shipped ? await lockNoticeById(tx, shipped.noticeId) : null;
  await tx.insert(noticeReturns).values({
    noticeId: notice?.id ?? null,
    exchangeId: call.exchangeId,
    shopCode: message.shopCode,
    express: message.express,
    waybillCode: message.waybillCode,
    sn: message.sn,
    createdAt: call.now,
  });
  if (!notice) return accepted(null, [unmatchedReturn(message.sn, "未找到对应通知单")]);
  await touchNotice(tx, notice.id, call.now);
  return accepted(noticeRef(notice));
}
