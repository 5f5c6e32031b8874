import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/db-type";
import { hubSettings } from "@/db/schema/settings";
import { getConfig, type HubConfig } from "@/server/config";

// The session secret signs and encrypts session cookies (next-auth) and keys
// the alert channel secrets at rest (server/secret-box.ts). When the
// operator sets no AUTH_SECRET, the hub generates one and keeps it in the
// database, so every instance behind a load balancer shares it (issue 10,
// SPEC §9): a cookie made by one instance is accepted by the others.

const SETTING = "auth_secret";
const holder = globalThis as unknown as { hubAuthSecret?: string };

/**
 * Loads the session secret for this process, once at start-up (the process's
 * database does it when it opens: db/client.ts), before anything signs a
 * cookie or seals a channel secret. Returns AUTH_SECRET when set; otherwise the
 * secret stored in `hub_settings`, written on first start with
 * `insert … on conflict do nothing` and read back (two instances starting at
 * once agree). A secret an older version generated into `DATA_DIR/auth-secret`
 * is the one stored, so sessions made before the upgrade survive it.
 * Also sets AUTH_TRUST_HOST (the hub runs behind proxies and on LAN addresses)
 * and AUTH_SECRET in `env`, where next-auth looks for it too.
 * @throws the database's error when it cannot be read or written.
 */
export async function loadAuthSecret(
  db: Db,
  config: Pick<HubConfig, "AUTH_SECRET" | "DATA_DIR"> = getConfig(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  env.AUTH_TRUST_HOST ||= "true";
  if (config.AUTH_SECRET) return (holder.hubAuthSecret = env.AUTH_SECRET = config.AUTH_SECRET);
  const candidate = secretFromDataDir(config.DATA_DIR) ?? randomBytes(32).toString("base64url");
  await db.insert(hubSettings).values({ name: SETTING, value: candidate }).onConflictDoNothing();
  const [row] = await db.select({ value: hubSettings.value }).from(hubSettings).where(eq(hubSettings.name, SETTING));
  if (!row) throw new Error("hub_settings: the session secret was written but cannot be read back");
  return (holder.hubAuthSecret = env.AUTH_SECRET = row.value);
}

/**
 * The session secret, synchronously: AUTH_SECRET when set, else the one
 * loadAuthSecret() loaded for this process.
 * @throws Error when the secret was not loaded yet (a caller running before the
 *   database opened): a programming error, never a silently different secret.
 */
export function authSecret(config: Pick<HubConfig, "AUTH_SECRET"> = getConfig()): string {
  if (config.AUTH_SECRET) return config.AUTH_SECRET;
  if (holder.hubAuthSecret) return holder.hubAuthSecret;
  throw new Error("AUTH_SECRET is not loaded yet: the session secret is read from the database when it opens (getHubDatabase / loadAuthSecret)");
}

/** Tests only: forget the loaded secret. */
export function forgetAuthSecretForTests(): void {
  holder.hubAuthSecret = undefined;
}

/** The secret an earlier version kept in DATA_DIR (one per machine), if any. */
function secretFromDataDir(dataDir: string): string | undefined {
  if (dataDir === "memory://") return undefined;
  try {
    return fs.readFileSync(path.resolve(dataDir, "auth-secret"), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

