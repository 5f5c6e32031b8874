import { and, desc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
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

// Built once (db/prepared-in-transaction.ts): every waybill change runs some of these.
const packageOnNotice = preparedInTransaction("waybill_package_on_notice", (db) =>
  db
    .select({ id: packages.id })
    .from(packages)
    .where(and(eq(packages.noticeId, sql.placeholder("noticeId")), eq(packages.waybillCode, sql.placeholder("waybill"))))
    .limit(1),
);

const latestPackage = preparedInTransaction("waybill_latest_package", (db) =>
  db
    .select({ id: packages.id, noticeId: packages.noticeId })
    .from(packages)
    .where(eq(packages.waybillCode, sql.placeholder("waybill")))
    .orderBy(desc(packages.id))
    .limit(1),
);

const changedAway = (onNotice: boolean) => (db: Db) =>
  db
    .select({ packageId: packages.id, noticeId: packages.noticeId, currentWaybill: packages.waybillCode })
    .from(waybillChanges)
    .innerJoin(packages, eq(packages.id, waybillChanges.packageId))
    .where(
      and(
        eq(waybillChanges.oldWaybillCode, sql.placeholder("waybill")),
        onNotice ? eq(waybillChanges.noticeId, sql.placeholder("noticeId")) : undefined,
      ),
    )
    .orderBy(desc(waybillChanges.id))
    .limit(1);
const changedAwayAnywhere = preparedInTransaction("waybill_changed_away", changedAway(false));
const changedAwayOnNotice = preparedInTransaction("waybill_changed_away_on_notice", changedAway(true));

type ChangeRow = typeof waybillChanges.$inferInsert;
const changeColumns = [
  "noticeId", "packageId", "exchangeId", "oldWaybillCode", "newExpress", "newWaybillCode", "createdAt",
] as const satisfies readonly (keyof ChangeRow)[];

const insertChange = preparedInTransaction("record_waybill_change", (db) =>
  db.insert(waybillChanges).values(Object.fromEntries(changeColumns.map((column) => [column, sql.placeholder(column)])) as unknown as ChangeRow),
);

// A change without a carrier keeps the parcel's.
const relabelPackage = preparedInTransaction("waybill_relabel_package", (db) =>
  db
    .update(packages)
    .set({ waybillCode: sql`${sql.placeholder("waybill")}`, express: sql`coalesce(${sql.placeholder("express")}, ${packages.express})` })
    .where(eq(packages.id, sql.placeholder("id"))),
);

/**
 * The parcel a waybill belonged to before an earlier change replaced it (the
 * latest such change), with its notice and current waybill; `noticeId` limits
 * the search to one notice. Undefined when no change ever named it as old.
 */
async function changedAwayFrom(tx: Db, waybill: string, noticeId?: number) {
  const [row] =
    noticeId === undefined ? await changedAwayAnywhere.run(tx, { waybill }) : await changedAwayOnNotice.run(tx, { waybill, noticeId });
  return row;
}

function recordChange(tx: Db, noticeId: number | null, packageId: number | null, change: WaybillChange, call: CallContext) {
  return insertChange.run(tx, {
    noticeId,
    packageId,
    exchangeId: call.exchangeId,
    oldWaybillCode: change.targetbillCode,
    newExpress: change.express ?? null,
    newWaybillCode: change.waybillCode,
    createdAt: call.now,
  });
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
  // Independent of each other: sent together (postgres.js pipelines them on the transaction's connection).
  await Promise.all([recordChange(tx, notice.id, null, change, call), touchNotice(tx, notice.id, call.now)]);
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
  await Promise.all([
    recordChange(tx, notice?.id ?? null, pkg?.id ?? null, change, call),
    pkg ? relabelPackage.run(tx, { id: pkg.id, waybill: change.waybillCode, express: change.express || null }) : undefined,
    notice ? touchNotice(tx, notice.id, call.now) : undefined,
  ]);
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
  const [pkg] = await packageOnNotice.run(tx, { noticeId: notice.id, waybill: message.targetbillCode });
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
  const [pkg] = await latestPackage.run(tx, { waybill: message.targetbillCode });
  if (!pkg) {
    // Not a current waybill: one changed away earlier still names its notice.
    const stale = await changedAwayFrom(tx, message.targetbillCode);
    const notice = stale ? await lockNoticeById(tx, stale.noticeId) : null;
    if (stale && notice) return applyStaleChange(tx, notice, stale.currentWaybill, message, call);
  }
  const notice = pkg ? await lockNoticeById(tx, pkg.noticeId) : null;
  return applyChange(tx, notice, pkg, message, call);
}
