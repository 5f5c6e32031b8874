import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "@/server/config";
import { useTestDatabase } from "@/test/database";
import { prepareAuthEnvironment } from "@/server/users/auth-secret";
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

describe("auth environment", () => {
  it("generates AUTH_SECRET into DATA_DIR once and reuses it on the next start", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hub-auth-"));
    const first = env({});
    const secret = prepareAuthEnvironment(config({ DATA_DIR: dataDir }), first);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(first.AUTH_TRUST_HOST).toBe("true");
    expect(prepareAuthEnvironment(config({ DATA_DIR: dataDir }), env({}))).toBe(secret);
    expect(fs.readFileSync(path.join(dataDir, "auth-secret"), "utf8")).toBe(secret);
    expect(prepareAuthEnvironment(config({ DATA_DIR: dataDir, AUTH_SECRET: "given" }), env({}))).toBe("given");
  });
});
