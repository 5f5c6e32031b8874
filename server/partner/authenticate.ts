import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { partnerTokens } from "@/db/schema/access";
import { readConfig } from "@/server/config";
import { HubError } from "@/server/errors";
import type { PartnerSide } from "@/server/partner/endpoints";

export type PartnerCaller = { side: PartnerSide; label: string };

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

function bootstrapTokens(): { side: PartnerSide; label: string; digest: Buffer }[] {
  const config = readConfig();
  return [
    { side: "pos" as const, label: "HUB_POS_TOKEN", token: config.HUB_POS_TOKEN },
    { side: "oms" as const, label: "HUB_OMS_TOKEN", token: config.HUB_OMS_TOKEN },
  ].flatMap(({ token, ...rest }) => (token ? [{ ...rest, digest: sha256(token) }] : []));
}

/** Compares digests, never the tokens, so both sides are always 32 bytes long and the comparison is constant-time. */
function matchBootstrap(digest: Buffer) {
  let match: { side: PartnerSide; label: string } | undefined;
  for (const candidate of bootstrapTokens()) {
    if (timingSafeEqual(candidate.digest, digest)) match = { side: candidate.side, label: candidate.label };
  }
  return match;
}

/** Who is calling: a bootstrap token from the environment, or one an admin created. */
export async function authenticatePartner(
  db: Db,
  authorization: string | null,
  side: PartnerSide,
): Promise<PartnerCaller> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
  if (!token) throw new HubError("unauthorized", "缺少凭证: 需要 Authorization: Bearer <token>");
  const digest = sha256(token);

  let caller: PartnerCaller | undefined = matchBootstrap(digest);
  if (!caller) {
    const [stored] = await db
      .select({ id: partnerTokens.id, side: partnerTokens.side, label: partnerTokens.label })
      .from(partnerTokens)
      .where(and(eq(partnerTokens.tokenHash, digest.toString("hex")), isNull(partnerTokens.revokedAt)))
      .limit(1);
    if (stored) caller = { side: stored.side, label: `token#${stored.id} ${stored.label}` };
  }
  if (!caller) throw new HubError("unauthorized", "凭证无效或已吊销 (invalid or revoked token)");
  if (caller.side !== side) {
    throw new HubError("forbidden", `此凭证属于 ${caller.side.toUpperCase()}, 不能调用 /${side}/* (token is for the other side)`);
  }
  return caller;
}

/** Creates a partner token. The clear token is returned once and never stored. */
export async function createPartnerToken(db: Db, input: { side: PartnerSide; label: string; createdBy: string }) {
  const token = `hub_${input.side}_${randomBytes(24).toString("base64url")}`;
  const [row] = await db
    .insert(partnerTokens)
    .values({ ...input, tokenHash: sha256(token).toString("hex") })
    .returning({ id: partnerTokens.id });
  return { id: row!.id, token };
}

export async function revokePartnerToken(db: Db, id: number) {
  await db.update(partnerTokens).set({ revokedAt: new Date() }).where(eq(partnerTokens.id, id));
}
