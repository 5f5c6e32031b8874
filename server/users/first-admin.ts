import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getConfig, type HubConfig } from "@/server/config";
import { users } from "@/db/schema/users";
import { log } from "@/server/log";
import { hashPassword } from "@/server/users/password";

const DEFAULT_ADMIN_EMAIL = "admin@hub.local";

/**
 * Shows a generated first-admin password to the person starting the hub: on
 * stdout as plain text, deliberately not through the log (whose lines never
 * carry a password) — once, at the first real start.
 */
export function showGeneratedPassword(email: string, password: string): void {
  process.stdout.write(
    `\n[hub] First admin created — sign in at /sign-in as ${email} with password: ${password}\n[hub] (shown once; set ADMIN_EMAIL / ADMIN_PASSWORD to choose your own)\n\n`,
  );
}

/**
 * Creates the first admin when nobody can sign in yet: from ADMIN_EMAIL /
 * ADMIN_PASSWORD, or admin@hub.local with a random password handed to `show`
 * once, which must be changed at the first sign-in. Returns the email
 * created, or null when users already exist.
 */
export async function ensureFirstAdmin(
  db: Db,
  config: Pick<HubConfig, "ADMIN_EMAIL" | "ADMIN_PASSWORD"> = getConfig(),
  show: (email: string, password: string) => void = showGeneratedPassword,
): Promise<string | null> {
  const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(users);
  if (count > 0) return null;

  const email = (config.ADMIN_EMAIL || DEFAULT_ADMIN_EMAIL).toLowerCase();
  const given = config.ADMIN_PASSWORD;
  const password = given || randomBytes(12).toString("base64url");
  // Two instances starting together both see zero users; the unique email lets one win.
  const [created] = await db
    .insert(users)
    // A generated password was shown on stdout: it must be replaced at the first sign-in.
    .values({ email, passwordHash: await hashPassword(password), role: "admin", createdBy: "bootstrap", mustChangePassword: !given })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (!created) return null;
  log.info({ email, generatedPassword: !given }, "first admin created");
  if (!given) show(email, password);
  return email;
}

const holder = globalThis as unknown as { firstAdmin?: Promise<unknown> };

/** Once per process: the sign-in page and the credentials check both wait for it. */
export function ensureFirstAdminOnce(getDb: () => Promise<Db>): Promise<unknown> {
  holder.firstAdmin ??= getDb()
    .then((db) => ensureFirstAdmin(db))
    .catch((error: unknown) => {
      holder.firstAdmin = undefined;
      throw error;
    });
  return holder.firstAdmin;
}
