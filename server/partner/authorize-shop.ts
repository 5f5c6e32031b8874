import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { notices } from "@/db/schema/notices";
import { HubError } from "@/server/errors";
import { dispatchNoOf } from "@/server/partner/accept-call";
import type { PartnerCaller } from "@/server/partner/authenticate";

// Built once (db/prepared-in-transaction.ts): every call of a token limited to shops without a shopCode runs it.
const shopOfNotice = preparedInTransaction("authorize_shop_of_notice", (db) =>
  db.select({ shopCode: notices.shopCode }).from(notices).where(eq(notices.dispatchNo, sql.placeholder("dispatchNo"))),
);

/** The shop a call acts for: the one it names, else the one of the notice it is about (null when neither is known). */
async function shopOfCall(db: Db, message: unknown): Promise<string | null> {
  const named = (message as { shopCode?: unknown }).shopCode;
  if (typeof named === "string") return named;
  const dispatchNo = dispatchNoOf(message);
  if (!dispatchNo) return null;
  const [notice] = await shopOfNotice.run(db, { dispatchNo });
  return notice?.shopCode ?? null;
}

/**
 * SPEC §3: valid credentials that are not for this shop get 403. Only tokens
 * an admin limited to some shops are checked; a notice's shop never changes,
 * so reading it before the call's transaction is safe.
 */
export async function authorizeShop(db: Db, caller: PartnerCaller, message: unknown): Promise<void> {
  if (!caller.shopCodes) return;
  const shop = await shopOfCall(db, message);
  if (shop !== null && !caller.shopCodes.includes(shop)) {
    throw new HubError("forbidden", `此凭证不能代表门店 ${shop} (token is not for shop ${shop})`);
  }
}
