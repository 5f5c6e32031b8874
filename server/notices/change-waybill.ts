import { and, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { notices, packages, waybillChanges } from "@/db/schema/notices";
import { accepted, noticeNotFound, type ApplyResult, type CallContext } from "@/server/notices/apply-result";
import { lockNotice, lockNoticeById, noticeRef, type LockedNotice } from "@/server/notices/lock-notice";
import type { AnomalyDraft } from "@/server/notices/rules";
import type { omsWaybillChange, posWaybillChange } from "@/server/partner/messages";

type WaybillChange = { targetbillCode: string; express?: string | null; waybillCode: string };

const unmatchedWaybill = (code: string): AnomalyDraft => ({
  kind: "unmatched_waybill",
  detail: `被更改运单号 ${code} 未找到 (waybill to change not found)`,
  data: { targetbillCode: code },
});

/** Records the change; the package (when found) takes the new waybill, the old one stays searchable. */
async function applyChange(
  tx: Db,
  notice: LockedNotice | null,
  pkg: { id: number } | undefined,
  change: WaybillChange,
  call: CallContext,
): Promise<ApplyResult> {
  await tx.insert(waybillChanges).values({
    noticeId: notice?.id ?? null,
    packageId: pkg?.id ?? null,
    exchangeId: call.exchangeId,
    oldWaybillCode: change.targetbillCode,
    newExpress: change.express ?? null,
    newWaybillCode: change.waybillCode,
    createdAt: call.now,
  });
  if (pkg) {
    await tx
      .update(packages)
      .set({ waybillCode: change.waybillCode, ...(change.express ? { express: change.express } : {}) })
      .where(eq(packages.id, pkg.id));
  }
  if (notice) await tx.update(notices).set({ updatedAt: call.now }).where(eq(notices.id, notice.id));
  const anomalies = pkg ? [] : [unmatchedWaybill(change.targetbillCode)];
  return accepted(notice ? noticeRef(notice) : null, anomalies);
}

/** `pos/delivery/waybillchange`: the store re-labelled a parcel of a ship-from-store notice. */
export async function changeStoreWaybill(
  tx: Db,
  message: z.infer<typeof posWaybillChange>,
  call: CallContext,
): Promise<ApplyResult> {
  const notice = await lockNotice(tx, message.dispatchNO, "ship_from_store");
  if (!notice) return noticeNotFound;
  const [pkg] = await tx
    .select({ id: packages.id })
    .from(packages)
    .where(and(eq(packages.noticeId, notice.id), eq(packages.waybillCode, message.targetbillCode)))
    .limit(1);
  return applyChange(tx, notice, pkg, message, call);
}

/** `oms/delivery/waybillchange`: no dispatchNO, so the parcel is found by its current waybill. */
export async function changeWarehouseWaybill(
  tx: Db,
  message: z.infer<typeof omsWaybillChange>,
  call: CallContext,
): Promise<ApplyResult> {
  const [pkg] = await tx
    .select({ id: packages.id, noticeId: packages.noticeId })
    .from(packages)
    .where(eq(packages.waybillCode, message.targetbillCode))
    .orderBy(desc(packages.id))
    .limit(1);
  const notice = pkg ? await lockNoticeById(tx, pkg.noticeId) : null;
  return applyChange(tx, notice, pkg, message, call);
}
