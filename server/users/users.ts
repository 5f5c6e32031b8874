import { randomBytes } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { safeText } from "@/server/input-guard";
import type { Db } from "@/db/client";
import { users } from "@/db/schema/users";
import { HubError } from "@/server/errors";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "@/server/users/password";
import { roles, type Role } from "@/lib/states";

/**
 * Who is signed in, as the procedures see it. `mustChangePassword`: signed in
 * with a generated or admin-reset password; only the password change is open.
 */
export type SessionUser = { id: number; email: string; name: string | null; role: Role; mustChangePassword?: boolean };

/** A password a person chooses: 8–200 characters, no NUL. */
export const newPasswordSchema = safeText(200, { trim: false }).min(8, "至少 8 位 (at least 8 characters)");

export const newUserSchema = z.object({
  email: z.email().max(200),
  name: safeText(100).optional(),
  password: newPasswordSchema,
  role: z.enum(roles),
});

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  createdAt: users.createdAt,
  createdBy: users.createdBy,
  disabledAt: users.disabledAt,
  lastSignInAt: users.lastSignInAt,
  mustChangePassword: users.mustChangePassword,
};

export async function createUser(db: Db, input: z.infer<typeof newUserSchema> & { createdBy: string }) {
  const [created] = await db
    .insert(users)
    .values({
      email: input.email.trim().toLowerCase(),
      name: input.name || null,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      createdBy: input.createdBy,
    })
    .onConflictDoNothing()
    .returning(publicColumns);
  if (!created) throw new HubError("conflict", `用户已存在 (user exists): ${input.email}`);
  return created;
}

export function listUsers(db: Db) {
  return db.select(publicColumns).from(users).orderBy(asc(users.id));
}

export async function updateUser(db: Db, input: { id: number; role?: Role; disabled?: boolean; actorId: number }) {
  if (input.id === input.actorId && (input.disabled || (input.role && input.role !== "admin"))) {
    // An admin locking themselves out would leave nobody to undo it.
    throw new HubError("forbidden", "不能停用自己或降低自己的角色 (cannot disable or demote yourself)");
  }
  const [updated] = await db
    .update(users)
    .set({
      ...(input.role ? { role: input.role } : {}),
      ...(input.disabled === undefined ? {} : { disabledAt: input.disabled ? new Date() : null }),
      // Disabling ends the user's sessions for good, even if they are enabled again later.
      ...(input.disabled ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}),
    })
    .where(eq(users.id, input.id))
    .returning(publicColumns);
  if (!updated) throw new HubError("not_found", `用户不存在 (no user #${input.id})`);
  return updated;
}

/**
 * The user behind a session, re-read on every request so a role change, a
 * disable or a revoked session takes effect at once. `sessionVersion` is the
 * one the session cookie carries: null when it is not the user's current one
 * (signed out, password changed or reset, disabled since).
 */
export async function findActiveUser(db: Db, id: number, sessionVersion = 0): Promise<SessionUser | null> {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
      sessionVersion: users.sessionVersion,
      mustChangePassword: users.mustChangePassword,
    })
    .from(users)
    .where(eq(users.id, id));
  if (!row || row.disabledAt || row.sessionVersion !== sessionVersion) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role, mustChangePassword: row.mustChangePassword };
}

/** A signed-in user as the session cookie records them: who, and which session version. */
export type VerifiedUser = SessionUser & { sessionVersion: number };

/**
 * Checks an e-mail and password. Unknown e-mails cost the same hashing time
 * (verifyAgainstDummy). A good password kept in an older scheme is re-hashed
 * with argon2id. Returns null for a wrong password, an unknown or disabled user.
 */
export async function verifyCredentials(db: Db, email: string, password: string): Promise<VerifiedUser | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  const ok = row ? await verifyPassword(password, row.passwordHash) : await verifyAgainstDummy(password);
  if (!row || !ok || row.disabledAt) return null;
  const rehashed = needsRehash(row.passwordHash) ? await hashPassword(password) : undefined;
  await db
    .update(users)
    .set({ lastSignInAt: new Date(), ...(rehashed ? { passwordHash: rehashed } : {}) })
    .where(eq(users.id, row.id));
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    mustChangePassword: row.mustChangePassword,
    sessionVersion: row.sessionVersion,
  };
}

/** Ends every session of the user (sign-out, password change): their cookies no longer match. */
export async function endSessions(db: Db, id: number): Promise<void> {
  await db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, id));
}

/**
 * A user changes their own password: the current one must be right, the new
 * one must differ. Ends every session (the caller signs the user in afresh)
 * and lifts a forced change. Throws HubError forbidden / invalid_body.
 */
export async function changePassword(db: Db, input: { id: number; currentPassword: string; newPassword: string }): Promise<void> {
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, input.id));
  if (!row || !(await verifyPassword(input.currentPassword, row.passwordHash))) {
    throw new HubError("forbidden", "当前密码不正确 (the current password is wrong)");
  }
  if (input.currentPassword === input.newPassword) {
    throw new HubError("invalid_body", "新密码不能与当前密码相同 (the new password must differ from the current one)");
  }
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(input.newPassword), mustChangePassword: false, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, input.id));
}

/** 16 random bytes, base64url: 22 characters for a person to type once. */
export const generatePassword = () => randomBytes(16).toString("base64url");

/**
 * An admin resets a user's password: a generated one, returned to be shown
 * once and never stored in clear; the user must change it at their next
 * sign-in, and every session they have ends. Throws HubError not_found.
 */
export async function resetPassword(db: Db, input: { id: number }): Promise<{ email: string; password: string }> {
  const password = generatePassword();
  const [updated] = await db
    .update(users)
    .set({ passwordHash: await hashPassword(password), mustChangePassword: true, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, input.id))
    .returning({ email: users.email });
  if (!updated) throw new HubError("not_found", `用户不存在 (no user #${input.id})`);
  return { email: updated.email, password };
}
