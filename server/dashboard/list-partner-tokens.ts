import { desc } from "drizzle-orm";
import type { Db } from "@/db/client";
import { partnerTokens } from "@/db/schema/access";
import { getConfig } from "@/server/config";

/** Stored partner tokens (never their hashes) and which bootstrap tokens the environment sets. */
export async function listPartnerTokens(db: Db) {
  const config = getConfig();
  const stored = await db
    .select({
      id: partnerTokens.id,
      side: partnerTokens.side,
      label: partnerTokens.label,
      shopCodes: partnerTokens.shopCodes,
      createdAt: partnerTokens.createdAt,
      createdBy: partnerTokens.createdBy,
      revokedAt: partnerTokens.revokedAt,
      lastUsedAt: partnerTokens.lastUsedAt,
    })
    .from(partnerTokens)
    .orderBy(desc(partnerTokens.id));
  return { stored, bootstrap: { pos: Boolean(config.HUB_POS_TOKEN), oms: Boolean(config.HUB_OMS_TOKEN) } };
}
