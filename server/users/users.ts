import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { safeDate, safeText } from "@/server/api/input-guard";
import type { Db } from "@/db/client";
import { users } from "@/db/schema/users";
import { HubError } from "@/server/errors";
import { DUMMY_HASH, hashPassword, verifyPassword } from "@/server/users/password";

export const roles = ["viewer", "operator", "admin"] as const;
export type Role = (typeof roles)[number];

/** Who is signed in, as the procedures see it. */
export type SessionUser = { id: number; email: string; name: string | null; role: Role };

export const newUserSchema = z.object({
  email: z.email().max(200),
  name: safeText(100).optional(),
  password: safeText(200, { trim: false }).min(8, "至少 8 位 (at least 8 characters)"),
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
    })
    .where(eq(users.id, input.id))
    .returning(publicColumns);
  if (!updated) throw new HubError("not_found", `用户不存在 (no user #${input.id})`);
  return updated;
}

/** The user behind a session, re-read on every request so a role change or a disable takes effect at once. */
export async function findActiveUser(db: Db, id: number): Promise<SessionUser | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, id));
  if (!row || row.disabledAt) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

export async function verifyCredentials(db: Db, email: string, password: string): Promise<SessionUser | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
  if (!row || !ok || row.disabledAt) return null;
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, row.id));
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}
