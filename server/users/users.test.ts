import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "@/server/config";
import { useTestDatabase } from "@/test/database";
import { hubSettings } from "@/db/schema/settings";
import { authSecret, forgetAuthSecretForTests, loadAuthSecret } from "@/db/auth-secret";
import { ensureFirstAdmin } from "@/server/users/first-admin";
import { listUsers, verifyCredentials } from "@/server/users/users";

const database = useTestDatabase();
// Next.js types NODE_ENV as always set; these environments are made up.
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;
const config = (vars: Record<string, string>) => parseConfig(vars);

afterEach(() => vi.restoreAllMocks());

describe("first admin", () => {
  it("creates admin@hub.local with a random password printed once, and nobody after that", async () => {
    const show = vi.fn();
    expect(await ensureFirstAdmin(database.db, config({}), show)).toBe("admin@hub.local");
    const printed = show.mock.calls[0]?.[1] as string | undefined;
    expect(printed).toBeTruthy();
    expect(await verifyCredentials(database.db, "Admin@Hub.Local", printed!)).toMatchObject({ role: "admin" });
    expect(await verifyCredentials(database.db, "admin@hub.local", "wrong password")).toBeNull();

    expect(await ensureFirstAdmin(database.db, config({ ADMIN_EMAIL: "boss@shop.test", ADMIN_PASSWORD: "chosen-pass" }), show)).toBeNull();
    expect(show).toHaveBeenCalledTimes(1);
    expect((await listUsers(database.db)).map((user) => user.email)).toEqual(["admin@hub.local"]);
  });
});

describe("session secret (AUTH_SECRET unset)", () => {
  beforeEach(() => forgetAuthSecretForTests());

  it("is generated once into the database: instances starting together agree, and a restart reads it back", async () => {
    const [first, second] = await Promise.all([
      loadAuthSecret(database.db, config({ DATA_DIR: "memory://" }), env({})),
      loadAuthSecret(database.db, config({ DATA_DIR: "memory://" }), env({})),
    ]);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    forgetAuthSecretForTests();
    const restarted = env({});
    expect(await loadAuthSecret(database.db, config({ DATA_DIR: "memory://" }), restarted)).toBe(first);
    expect(restarted).toMatchObject({ AUTH_SECRET: first, AUTH_TRUST_HOST: "true" });
    expect(authSecret(config({}))).toBe(first);
    expect(await database.db.select().from(hubSettings)).toHaveLength(1);
  });

  it("keeps a secret an earlier version generated into DATA_DIR, so sessions survive the upgrade", async () => {
    await database.db.delete(hubSettings);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hub-auth-"));
    fs.writeFileSync(path.join(dataDir, "auth-secret"), "secret-from-an-earlier-version\n");
    expect(await loadAuthSecret(database.db, config({ DATA_DIR: dataDir }), env({}))).toBe("secret-from-an-earlier-version");
    // Another machine with no file of its own gets the same one.
    expect(await loadAuthSecret(database.db, config({ DATA_DIR: "memory://" }), env({}))).toBe("secret-from-an-earlier-version");
  });

  it("is AUTH_SECRET when the operator set it", async () => {
    expect(await loadAuthSecret(database.db, config({ AUTH_SECRET: "given" }), env({}))).toBe("given");
    expect(authSecret(config({ AUTH_SECRET: "given" }))).toBe("given");
  });

  it("refuses to be read before it was loaded, rather than making up another", () => {
    expect(() => authSecret(config({}))).toThrow(/not loaded yet/);
  });
});
