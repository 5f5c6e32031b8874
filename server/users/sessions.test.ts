import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { users } from "@/db/schema/users";
import { useTestDatabase } from "@/test/database";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { HubError } from "@/server/errors";
import { ensureFirstAdmin } from "@/server/users/first-admin";
import { changePassword, createUser, endSessions, findActiveUser, updateUser, verifyCredentials } from "@/server/users/users";

const database = useTestDatabase();
let adminId = 0;

beforeAll(async () => {
  adminId = (await createUser(database.db, { email: "boss@hub.test", password: "boss password", role: "admin", createdBy: "test" })).id;
});

const codeOf = (call: Promise<unknown>) =>
  call.then(
    () => "OK",
    (error: unknown) => (error instanceof TRPCError || error instanceof HubError ? error.code : Promise.reject(error as Error)),
  );

describe("session version", () => {
  it("a session ends when the user signs out elsewhere, is disabled, or changes the password", async () => {
    const { id } = await createUser(database.db, { email: "ann@hub.test", password: "ann password", role: "operator", createdBy: "test" });
    const signedIn = (await verifyCredentials(database.db, "ann@hub.test", "ann password"))!;
    expect(signedIn.sessionVersion).toBe(0);
    expect(await findActiveUser(database.db, id, 0)).toMatchObject({ email: "ann@hub.test" });

    await endSessions(database.db, id); // sign-out
    expect(await findActiveUser(database.db, id, 0)).toBeNull();
    expect((await createTRPCContext({ sessionUserId: String(id), sessionVersion: 0 })).user).toBeNull();
    const again = (await verifyCredentials(database.db, "ann@hub.test", "ann password"))!;
    expect(again.sessionVersion).toBe(1);
    expect((await createTRPCContext({ sessionUserId: String(id), sessionVersion: 1 })).user).toMatchObject({ id });

    await updateUser(database.db, { id, disabled: true, actorId: adminId });
    await updateUser(database.db, { id, disabled: false, actorId: adminId });
    // Enabled again, the session from before the disable stays ended.
    expect(await findActiveUser(database.db, id, 1)).toBeNull();
    expect(await findActiveUser(database.db, id, 2)).not.toBeNull();

    await changePassword(database.db, { id, currentPassword: "ann password", newPassword: "ann's new one" });
    expect(await findActiveUser(database.db, id, 2)).toBeNull();
    expect(await verifyCredentials(database.db, "ann@hub.test", "ann password")).toBeNull();
    expect(await verifyCredentials(database.db, "ann@hub.test", "ann's new one")).toMatchObject({ sessionVersion: 3 });
  });
});

describe("password change", () => {
  it("needs the current password and a different new one", async () => {
    const { id } = await createUser(database.db, { email: "bob@hub.test", password: "bob password", role: "viewer", createdBy: "test" });
    expect(await codeOf(changePassword(database.db, { id, currentPassword: "not it", newPassword: "whatever long" }))).toBe("forbidden");
    expect(await codeOf(changePassword(database.db, { id, currentPassword: "bob password", newPassword: "bob password" }))).toBe("invalid_body");
    expect(await verifyCredentials(database.db, "bob@hub.test", "bob password")).not.toBeNull();
  });
});

describe("admin reset and forced change", () => {
  it("a reset password works once shown, ends sessions, and opens nothing but the change until it is replaced", async () => {
    const { id } = await createUser(database.db, { email: "cy@hub.test", password: "cy password", role: "operator", createdBy: "test" });
    const admin = createCaller({ db: database.db, user: { id: adminId, email: "boss@hub.test", name: null, role: "admin" } });
    const shown = await admin.admin.resetPassword({ id });
    expect(shown).toEqual({ email: "cy@hub.test", password: expect.stringMatching(/^[\w-]{22}$/) });
    expect(await codeOf(admin.admin.resetPassword({ id: adminId }))).toBe("FORBIDDEN");
    // Only a hash is kept.
    const [row] = await database.db.select().from(users).where(eq(users.id, id));
    expect(row!.passwordHash).not.toContain(shown.password);
    expect(await findActiveUser(database.db, id, 0)).toBeNull();

    expect(await verifyCredentials(database.db, "cy@hub.test", "cy password")).toBeNull();
    const signedIn = (await verifyCredentials(database.db, "cy@hub.test", shown.password))!;
    expect(signedIn.mustChangePassword).toBe(true);
    const user = (await findActiveUser(database.db, id, signedIn.sessionVersion))!;
    const cy = createCaller({ db: database.db, user });
    expect(await cy.admin.me()).toMatchObject({ email: "cy@hub.test", mustChangePassword: true });
    expect(await codeOf(cy.notices.search({}))).toBe("FORBIDDEN");
    expect(await codeOf(cy.deliveries.list({}))).toBe("FORBIDDEN");

    await changePassword(database.db, { id, currentPassword: shown.password, newPassword: "cy's own password" });
    const after = (await verifyCredentials(database.db, "cy@hub.test", "cy's own password"))!;
    expect(after.mustChangePassword).toBe(false);
    const freed = createCaller({ db: database.db, user: (await findActiveUser(database.db, id, after.sessionVersion))! });
    expect(await codeOf(freed.notices.search({}))).toBe("OK");
  });

  it("the first admin's printed password must be changed; one from ADMIN_PASSWORD need not", async () => {
    await database.db.delete(users);
    let printed = "";
    await ensureFirstAdmin(database.db, {}, (_, password) => (printed = password));
    expect(await verifyCredentials(database.db, "admin@hub.local", printed)).toMatchObject({ mustChangePassword: true });

    await database.db.delete(users);
    await ensureFirstAdmin(database.db, { ADMIN_EMAIL: "chosen@hub.test", ADMIN_PASSWORD: "chosen password" });
    expect(await verifyCredentials(database.db, "chosen@hub.test", "chosen password")).toMatchObject({ mustChangePassword: false });
  });
});
