import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { notices } from "@/db/schema/notices";
import type { NoticeKind } from "@/server/notices/rules";

/**
 * Every follow-up message locks its notice first: messages for one notice are
 * applied one at a time, and their deliveries are queued in that same order.
 */
export async function lockNotice(tx: Db, dispatchNo: string, kind: NoticeKind) {
  const [notice] = await lockByNumber.run(tx, { dispatchNo, kind });
  return notice ?? null;
}

export async function lockNoticeById(tx: Db, id: number) {
  const [notice] = await lockById.run(tx, { id });
  return notice ?? null;
}

// Built once (db/prepared-in-transaction.ts): every follow-up message runs one.
const lockByNumber = preparedInTransaction("lock_notice", (db) =>
  db
    .select()
    .from(notices)
    .where(and(eq(notices.dispatchNo, sql.placeholder("dispatchNo")), eq(notices.kind, sql.placeholder("kind"))))
    .for("update"),
);

const lockById = preparedInTransaction("lock_notice_by_id", (db) =>
  db.select().from(notices).where(eq(notices.id, sql.placeholder("id"))).for("update"),
);

/** Marks the notice changed (`updated_at`), for messages that change only what hangs off it. */
export async function touchNotice(tx: Db, id: number, now: Date): Promise<void> {
  await touchById.run(tx, { id, now });
}

const touchById = preparedInTransaction("touch_notice", (db) =>
  db
    .update(notices)
    .set({ updatedAt: sql`${sql.placeholder("now")}` })
    .where(eq(notices.id, sql.placeholder("id"))),
);

export type LockedNotice = NonNullable<Awaited<ReturnType<typeof lockNotice>>>;

export const noticeRef = (notice: { id: number; dispatchNo: string }) => ({
  id: notice.id,
  dispatchNo: notice.dispatchNo,
});
