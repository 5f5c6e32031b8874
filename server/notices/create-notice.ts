import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
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

async function createNotice(tx: Db, notice: NewNotice, call: CallContext): Promise<ApplyResult> {
  const { items, ...fields } = notice;
  const [created] = await tx
    .insert(notices)
    .values({
      ...fields,
      phoneTail: phoneTail(fields.phone),
      createdAt: call.now,
      updatedAt: call.now,
      createdByExchangeId: call.exchangeId,
    })
    .onConflictDoNothing({ target: notices.dispatchNo })
    .returning({ id: notices.id, dispatchNo: notices.dispatchNo });

  if (!created) {
    // The exact repeat was answered from the idempotency record before we got
    // here, so this is a different body under a number already taken.
    const [existing] = await tx
      .select({ id: notices.id, dispatchNo: notices.dispatchNo })
      .from(notices)
      .where(eq(notices.dispatchNo, notice.dispatchNo));
    return refused(BUSINESS_MSG.duplicateNotice, existing ?? null);
  }

  await tx
    .insert(noticeItems)
    .values(mergeOrderedItems(items).map(({ qty, ...sku }) => ({ noticeId: created.id, ...sku, qtyOrdered: qty })));
  return accepted(created);
}
