import { and, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { packages, waybillChanges } from "@/db/schema/notices";
import { accepted, noticeNotFound, type ApplyResult, type CallContext } from "@/server/notices/apply-result";
import { lockNotice, lockNoticeById, noticeRef, touchNotice, type LockedNotice } from "@/server/notices/lock-notice";
import { staleWaybillChange, type AnomalyDraft } from "@/server/notices/rules";
import type { omsWaybillChange, posWaybillChange } from "@/server/contract/messages";

type WaybillChange = { targetbillCode: string; express?: string | null; waybillCode: string };

const unmatchedWaybill = (code: string): AnomalyDraft => ({
  kind: "unmatched_waybill",
  detail: `被更改运单号 ${code} 未找到 (waybill to change not found)`,
  data: { targetbillCode: code },
});

/**
 * The parcel a waybill belonged to before an earlier change replaced it (the
 * latest such change), with its notice and current waybill; `noticeId` limits
 * the search to one notice. Undefined when no change ever named it as old.
 */
async function changedAwayFrom(tx: Db, waybill: string, noticeId?: number) {
  const [row] = await tx
    .select({ packageId: packages.id, noticeId: packages.noticeId, currentWaybill: packages.waybillCode })
    .from(waybillChanges)
    .innerJoin(packages, eq(packages.id, waybillChanges.packageId))
    .where(and(eq(waybillChanges.oldWaybillCode, waybill), noticeId === undefined ? undefined : eq(waybillChanges.noticeId, noticeId)))
    .orderBy(desc(waybillChanges.id))
    .limit(1);
  return row;
}

/**
 * SPEC §4: a change naming a waybill already changed away is recorded on the
 * notice it belonged to, not applied to the parcel (no package), and flagged.
 */
async function applyStaleChange(
  tx: Db,
  notice: LockedNotice,
  currentWaybill: string | null,
  change: WaybillChange,
  call: CallContext,
): Promise<ApplyResult> {
  await tx.insert(waybillChanges).values({
    noticeId: notice.id,
    packageId: null,
    exchangeId: call.exchangeId,
    oldWaybillCode: change.targetbillCode,
    newExpress: change.express ?? null,
    newWaybillCode: change.waybillCode,
    createdAt: call.now,
  });
  await touchNotice(tx, notice.id, call.now);
  return accepted(noticeRef(notice), [staleWaybillChange(change, currentWaybill)]);
}

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
  if (notice) await touchNotice(tx, notice.id, call.now);
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
  if (!pkg) {
    const stale = await changedAwayFrom(tx, message.targetbillCode, notice.id);
    if (stale) return applyStaleChange(tx, notice, stale.currentWaybill, message, call);
  }
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
  if (!pkg) {
    // Not a current waybill: one changed away earlier still names its notice.
    const stale = await changedAwayFrom(tx, message.targetbillCode);
    const notice = stale ? await lockNoticeById(tx, stale.noticeId) : null;
    if (stale && notice) return applyStaleChange(tx, notice, stale.currentWaybill, message, call);
  }
  const notice = pkg ? await lockNoticeById(tx, pkg.noticeId) : null;
  return applyChange(tx, notice, pkg, message, call);
}
