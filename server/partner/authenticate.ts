import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { partnerTokens } from "@/db/schema/access";
import { getConfig, type HubConfig } from "@/server/config";
import { log } from "@/server/log";
import { HubError } from "@/server/errors";
import type { PartnerSide } from "@/server/contract/endpoints";

/** `shopCodes` null: the caller may act for every shop. */
export type PartnerCaller = { side: PartnerSide; label: string; shopCodes: string[] | null };

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

type BootstrapDigest = { side: PartnerSide; label: string; digest: Buffer };

// The bootstrap tokens' digests, hashed once per configuration (issue 13: they were re-hashed on every
// call). Kept beside the configuration object they came from: tests swap it (setConfigForTests), a
// process never does. On globalThis because Next.js may load this module once per route bundle.
const held = globalThis as unknown as { hubBootstrapDigests?: { config: HubConfig; digests: BootstrapDigest[] } };

/** HUB_POS_TOKEN / HUB_OMS_TOKEN as SHA-256 digests (32 bytes each), hashed at the first call after the configuration is parsed. */
export function bootstrapDigests(): readonly BootstrapDigest[] {
  const config = getConfig();
  if (held.hubBootstrapDigests?.config !== config) {
    const digests = [
      { side: "pos" as const, label: "HUB_POS_TOKEN", token: config.HUB_POS_TOKEN },
      { side: "oms" as const, label: "HUB_OMS_TOKEN", token: config.HUB_OMS_TOKEN },
    ].flatMap(({ token, ...rest }) => (token ? [{ ...rest, digest: sha256(token) }] : []));
    held.hubBootstrapDigests = { config, digests };
  }
  return held.hubBootstrapDigests.digests;
}

/**
 * Compares digests, never the tokens, so both sides are always 32 bytes long and the comparison is
 * constant-time; every bootstrap digest is compared, matching or not.
 */
function matchBootstrap(digest: Buffer) {
  let match: PartnerCaller | undefined;
  for (const candidate of bootstrapDigests()) {
    if (timingSafeEqual(candidate.digest, digest)) match = { side: candidate.side, label: candidate.label, shopCodes: null };
  }
  return match;
}

// Built once (db/prepared-in-transaction.ts): every call with an admin-created token runs the first.
const storedToken = preparedInTransaction("partner_token_by_hash", (db) =>
  db
    .select({ id: partnerTokens.id, side: partnerTokens.side, label: partnerTokens.label, shopCodes: partnerTokens.shopCodes })
    .from(partnerTokens)
    .where(and(eq(partnerTokens.tokenHash, sql.placeholder("hash")), isNull(partnerTokens.revokedAt)))
    .limit(1),
);

const markTokenUsed = preparedInTransaction("partner_token_used", (db) =>
  db
    .update(partnerTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(partnerTokens.id, sql.placeholder("id")),
        or(isNull(partnerTokens.lastUsedAt), lt(partnerTokens.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    ),
);

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
    const [stored] = await storedToken.run(db, { hash: digest.toString("hex") });
    if (stored) {
      caller = { side: stored.side, label: `token#${stored.id} ${stored.label}`, shopCodes: stored.shopCodes };
      noteTokenUse(db, stored.id);
    }
  }
  if (!caller) throw new HubError("unauthorized", "凭证无效或已吊销 (invalid or revoked token)");
  if (caller.side !== side) {
    throw new HubError("forbidden", `此凭证属于 ${caller.side.toUpperCase()}, 不能调用 /${side}/* (token is for the other side)`);
  }
  return caller;
}

/**
 * "Last used" for the admin page, at most once a minute per token and off the
 * call's path: a failed write only leaves the page a little behind.
 */
function noteTokenUse(db: Db, id: number) {
  markTokenUsed
    .run(db, { id })
    .catch((error: unknown) => log.warn({ err: error }, "could not note partner token use"));
}

/** Creates a partner token. The clear token is returned once and never stored. */
export async function createPartnerToken(
  db: Db,
  input: { side: PartnerSide; label: string; createdBy: string; shopCodes?: string[] | null },
) {
  const token = `hub_${input.side}_${randomBytes(24).toString("base64url")}`;
  const [row] = await db
    .insert(partnerTokens)
    .values({ ...input, shopCodes: input.shopCodes?.length ? input.shopCodes : null, tokenHash: sha256(token).toString("hex") })
    .returning({ id: partnerTokens.id });
  return { id: row!.id, token };
}

export async function revokePartnerToken(db: Db, id: number) {
  await db.update(partnerTokens).set({ revokedAt: new Date() }).where(eq(partnerTokens.id, id));
}
