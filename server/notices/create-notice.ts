import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { noticeItems, notices } from "@/db/schema/notices";
import { accepted, refused, type ApplyResult, type CallContext } from "@/server/notices/apply-result";
import { BUSINESS_MSG, mergeOrderedItems, phoneTail } from "@/server/notices/rules";
import type { OrderedItem, omsPushOrder, posOrderMake } from "@/server/contract/messages";

type NewNotice = Omit<typeof notices.$inferInsert, "id" | "phoneTail" | "createdAt" | "updatedAt" | "createdByExchangeId"> & {
  items: OrderedItem[];
};

/** `pos/ordermake`: a store sold what it has no stock for; the OMS ships it from warehouses. */
export function createStoreOrder(tx: Db, message: z.infer<typeof posOrderMake>, call: CallContext) {
  const { dispatchNO, items, ...fields } = message;
  return createNotice(tx, { ...fields, dispatchNo: dispatchNO, kind: "store_order", items }, call);
}

/** `oms/pushorder`: the OMS asks a store to ship an online order. */
export function createShipFromStoreNotice(tx: Db, message: z.infer<typeof omsPushOrder>, call: CallContext) {
  const { dispatchNO, purchaseNumber, express, items, ...fields } = message;
  return createNotice(
    tx,
    { ...fields, dispatchNo: dispatchNO, kind: "ship_from_store", purchaseCode: purchaseNumber, preferredExpress: express, items },
    call,
  );
}

// Every column a message may fill; one it leaves out is stored as null (none of them has another default).
const noticeColumns = [
  "dispatchNo", "kind", "shopCode", "purchaseCode", "memberCode", "receiver", "phone", "province", "city", "county",
  "address", "preferredExpress", "phoneTail", "createdAt", "updatedAt", "createdByExchangeId",
] as const satisfies readonly (keyof typeof notices.$inferInsert)[];

// Built once (db/prepared-in-transaction.ts): every creation runs it. The notice and its lines in one
// statement (one round trip; the lines, any number, travel as one JSON array); on a number already taken,
// the notice's insert returns nothing and so nothing is inserted for lines either.
const insertNoticeWithItems = preparedInTransaction("create_notice", (db) => {
  const created = db.$with("created").as(
    db
      .insert(notices)
      .values(Object.fromEntries(noticeColumns.map((column) => [column, sql.placeholder(column)])) as unknown as typeof notices.$inferInsert)
      .onConflictDoNothing({ target: notices.dispatchNo })
      .returning({ id: notices.id, dispatchNo: notices.dispatchNo }),
  );
  const items = db.$with("items").as(
    db.insert(noticeItems).select(
      sql`select ${created.id}, product, color, size, qty
          from ${created}, jsonb_to_recordset(${sql.placeholder("items")}::jsonb) as line(product text, color text, size text, qty integer)`,
    ),
  );
  return db.with(created, items).select().from(created);
});

const noticeByNumber = preparedInTransaction("create_notice_existing", (db) =>
  db
    .select({ id: notices.id, dispatchNo: notices.dispatchNo })
    .from(notices)
    .where(eq(notices.dispatchNo, sql.placeholder("dispatchNo"))),
);

async function createNotice(tx: Db, notice: NewNotice, call: CallContext): Promise<ApplyResult> {
  const { items, ...fields } = notice;
  const row: Record<string, unknown> = {
    ...fields,
    phoneTail: phoneTail(fields.phone),
    createdAt: call.now,
    updatedAt: call.now,
    createdByExchangeId: call.exchangeId,
  };
  const values = Object.fromEntries(noticeColumns.map((column) => [column, row[column] ?? null]));
  const [created] = await insertNoticeWithItems.run(tx, { ...values, items: JSON.stringify(mergeOrderedItems(items)) });

  if (!created) {
    // The exact repeat was answered from the idempotency record before we got
    // here, so this is a different body under a number already taken.
    const [existing] = await noticeByNumber.run(tx, { dispatchNo: notice.dispatchNo });
    return refused(BUSINESS_MSG.duplicateNotice, existing ?? null);
  }
  return accepted(created);
}
