import { eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { idempotencyKeys } from "@/db/schema/exchanges";
import { forgetOldIdempotencyKeys } from "@/server/partner/forget-old-calls";
import { useTestDatabase } from "../database";
import { callPartner } from "../partner-client";
import { exchangesOf } from "./hub-state";
import { shipFromStoreOrder, storeOrder } from "./messages";

const database = useTestDatabase();

test("keys past the retention window are forgotten; newer ones still replay their first answer", async () => {
  const old = storeOrder();
  const recent = shipFromStoreOrder();
  await callPartner("/pos/ordermake", old);
  await callPartner("/oms/pushorder", recent);
  const [oldKey] = await database.db
    .select({ key: idempotencyKeys.key })
    .from(idempotencyKeys)
    .where(sql`${idempotencyKeys.exchangeId} = (select id from exchanges where dispatch_no = ${old.dispatchNO})`);
  await database.db
    .update(idempotencyKeys)
    .set({ createdAt: new Date(Date.now() - 40 * 24 * 3600_000) })
    .where(eq(idempotencyKeys.key, oldKey!.key));

  expect(await forgetOldIdempotencyKeys(database.db, new Date(Date.now() - 30 * 24 * 3600_000))).toBe(1);

  // The recent call is still a replay; the old one is applied anew: its notice exists, so it is a duplicate number.
  await callPartner("/oms/pushorder", recent);
  expect((await exchangesOf(database.db, recent.dispatchNO)).map((e) => e.outcome).sort()).toEqual(["accepted", "duplicate"]);
  expect(await callPartner("/pos/ordermake", old)).toEqual({ status: 200, body: { success: false, msg: "发货通知单号重复" } });
  expect((await exchangesOf(database.db, old.dispatchNO)).map((e) => e.outcome).sort()).toEqual(["accepted", "rejected"]);
});
