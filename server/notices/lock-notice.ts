import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { notices } from "@/db/schema/notices";
import type { NoticeKind } from "@/server/notices/rules";

/**
 * Every follow-up message locks its notice first: messages for one notice are
 * applied one at a time, and their deliveries are queued in that same order.
 */
export async function lockNotice(tx: Db, dispatchNo: string, kind: NoticeKind) {
  const [notice] = await tx
    .select()
    .from(notices)
    .where(and(eq(notices.dispatchNo, dispatchNo), eq(notices.kind, kind)))
    .for("update");
  return notice ?? null;
}

export async function lockNoticeById(tx: Db, id: number) {
  const [notice] = await tx.select().from(notices).where(eq(notices.id, id)).for("update");
  return notice ?? null;
}

export type LockedNotice = NonNullable<Awaited<ReturnType<typeof lockNotice>>>;

export const noticeRef = (notice: { id: number; dispatchNo: string }) => ({
  id: notice.id,
  dispatchNo: notice.dispatchNo,
});
