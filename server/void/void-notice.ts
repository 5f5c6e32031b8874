import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { notices } from "@/db/schema/notices";
import { cancelNoticeTheOtherSideNeverSaw } from "@/server/void/cancel-unseen-notice";
import { accepted, noticeNotFound, refused, type ApplyResult, type CallContext } from "@/server/notices/apply-result";
import { lockNotice, noticeRef, type LockedNotice } from "@/server/notices/lock-notice";
import { decideShipFromStoreVoid, decideStoreOrderVoid, type Decision } from "@/server/notices/rules";
import type { omsOrderRemove, posOrderRemove } from "@/server/contract/messages";

const markVoided = preparedInTransaction("void_notice", (db) =>
  db
    .update(notices)
    .set({ status: "voided", voidedAt: sql`${sql.placeholder("now")}`, updatedAt: sql`${sql.placeholder("now")}` })
    .where(eq(notices.id, sql.placeholder("id"))),
);

async function voidIfAllowed(tx: Db, notice: LockedNotice, decision: Decision, call: CallContext): Promise<ApplyResult> {
  if (!decision.ok) return refused(decision.msg, noticeRef(notice));
  if (notice.status !== "voided") {
    await markVoided.run(tx, { id: notice.id, now: call.now });
  }
  const unseen = await cancelNoticeTheOtherSideNeverSaw(tx, { noticeId: notice.id, now: call.now });
  return { ...accepted(noticeRef(notice)), forward: !unseen, statusBefore: notice.status };
}

/** `pos/orderremove`: the store cancels its store order. */
export async function voidStoreOrder(
  tx: Db,
  message: z.infer<typeof posOrderRemove>,
  call: CallContext,
): Promise<ApplyResult> {
  const notice = await lockNotice(tx, message.dispatchNO, "store_order");
  if (!notice) return noticeNotFound;
  return voidIfAllowed(tx, notice, decideStoreOrderVoid(notice), call);
}

/** `oms/orderremove`: the OMS withdraws a ship-from-store notice from the store it was pushed to. */
export async function voidShipFromStore(
  tx: Db,
  message: z.infer<typeof omsOrderRemove>,
  call: CallContext,
): Promise<ApplyResult> {
  const notice = await lockNotice(tx, message.dispatchNO, "ship_from_store");
  // The store named is not the one it was pushed to: that store has no such notice.
  if (!notice || notice.shopCode !== message.shopCode) return noticeNotFound;
  return voidIfAllowed(tx, notice, decideShipFromStoreVoid(notice), call);
}
