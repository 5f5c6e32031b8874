import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { notices } from "@/db/schema/notices";
import { accepted, noticeNotFound, refused, type ApplyResult, type CallContext } from "@/server/notices/apply-result";
import { lockNotice, noticeRef } from "@/server/notices/lock-notice";
import { decideRefusal } from "@/server/notices/rules";
import type { posRefuse } from "@/server/contract/messages";

/** `pos/refuse`: the store cannot fulfil a ship-from-store notice (退单). */
export async function refuseNotice(tx: Db, message: z.infer<typeof posRefuse>, call: CallContext): Promise<ApplyResult> {
  const notice = await lockNotice(tx, message.dispatchNO, "ship_from_store");
  if (!notice) return noticeNotFound;
  const decision = decideRefusal(notice);
  if (!decision.ok) return refused(decision.msg, noticeRef(notice));
  await markRefused.run(tx, { id: notice.id, now: call.now, reason: message.reason ?? null });
  return accepted(noticeRef(notice));
}

const markRefused = preparedInTransaction("refuse_notice", (db) =>
  db
    .update(notices)
    .set({ status: "refused", refusedAt: sql`${sql.placeholder("now")}`, refuseReason: sql`${sql.placeholder("reason")}`, updatedAt: sql`${sql.placeholder("now")}` })
    .where(eq(notices.id, sql.placeholder("id"))),
);
