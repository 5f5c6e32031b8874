import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { users } from "@/db/schema/users";
import { useTestDatabase } from "@/test/database";
import { attemptSignIn } from "@/server/users/sign-in";
import { lockSeconds, ACCOUNT_POLICY, ADDRESS_POLICY } from "@/server/users/sign-in-throttle";
import { createUser } from "@/server/users/users";

const database = useTestDatabase();
const lines: Record<string, string | number>[] = [];
const log = (fields: Record<string, string | number>, msg: string) => void lines.push({ msg, ...fields });
const attempt = (email: string, password: string, address = "203.0.113.7") => attemptSignIn(database.db, { email, password, address }, log);

let now = Date.UTC(2026, 10, 30, 12, 0, 0);
const passSeconds = (seconds: number) => vi.setSystemTime((now += seconds * 1000));

beforeAll(async () => {
  await createUser(database.db, { email: "ops@hub.test", password: "correct horse", role: "operator", createdBy: "test" });
});

afterEach(() => {
  vi.useRealTimers();
  lines.length = 0;
});

describe("lockSeconds", () => {
  it("grows from 15 s after the 5th failure of an account and 60 s after the 20th of an address, up to an hour", () => {
    expect([4, 5, 6, 7, 12, 13, 40].map((n) => lockSeconds(ACCOUNT_POLICY, n))).toEqual([0, 15, 30, 60, 1920, 3600, 3600]);
    expect([19, 20, 21].map((n) => lockSeconds(ADDRESS_POLICY, n))).toEqual([0, 60, 120]);
  });
});

describe("sign-in throttling", () => {
  it("locks an account after 5 wrong passwords with a growing wait, even for the right password, and a good sign-in clears it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(now);
    for (let i = 0; i < 4; i++) expect(await attempt("ops@hub.test", `wrong ${i}`)).toEqual({ kind: "refused" });
    expect(await attempt("OPS@hub.test", "wrong 5")).toEqual({ kind: "throttled", retryAfterSeconds: 15 });

    passSeconds(5);
    expect(await attempt("ops@hub.test", "correct horse")).toEqual({ kind: "throttled", retryAfterSeconds: 10 });
    // Another address does not help: the account is locked.
    expect(await attempt("ops@hub.test", "correct horse", "198.51.100.1")).toMatchObject({ kind: "throttled" });

    passSeconds(11);
    expect(await attempt("ops@hub.test", "wrong again")).toEqual({ kind: "throttled", retryAfterSeconds: 30 });
    passSeconds(31);
    expect(await attempt("ops@hub.test", "correct horse")).toMatchObject({ kind: "signed_in", user: { email: "ops@hub.test" } });
    // Counted afresh after a good sign-in: 4 more wrong passwords are refused, not locked.
    for (let i = 0; i < 4; i++) expect(await attempt("ops@hub.test", `wrong ${i}`)).toEqual({ kind: "refused" });
  });

  it("locks an address after 20 failures on made-up accounts", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime((now += 3 * 3600_000));
    for (let i = 0; i < 19; i++) expect(await attempt(`nobody${i}@hub.test`, "guess", "192.0.2.50")).toEqual({ kind: "refused" });
    expect(await attempt("nobody19@hub.test", "guess", "192.0.2.50")).toEqual({ kind: "throttled", retryAfterSeconds: 60 });
    expect(await attempt("ops@hub.test", "correct horse", "192.0.2.50")).toMatchObject({ kind: "throttled" });
    expect(await attempt("ops@hub.test", "correct horse", "192.0.2.51")).toMatchObject({ kind: "signed_in" });
  });

  it("logs one line per failure with the e-mail and the address, never the password", async () => {
    await attempt("Someone@Hub.test", "hunter2-secret", "192.0.2.99");
    expect(lines).toEqual([{ msg: "sign-in refused", email: "someone@hub.test", address: "192.0.2.99" }]);
    expect(JSON.stringify(lines)).not.toContain("hunter2");
  });
});

describe("password hashes", () => {
  it("accepts a bcrypt hash from before and replaces it with argon2id on sign-in", async () => {
    // bcrypt, 10 rounds, of "old password": the kind of hash bcryptjs stored before this change.
    const legacy = "$2b$10$zQazfO/fY9vDW05ZP5CobetJZcA4X3TUS2des7vvVy887CMP.Ff4y";
    await createUser(database.db, { email: "old@hub.test", password: "placeholder", role: "viewer", createdBy: "test" });
    await database.db.update(users).set({ passwordHash: legacy }).where(eq(users.email, "old@hub.test"));

    expect(await attempt("old@hub.test", "old password", "192.0.2.7")).toMatchObject({ kind: "signed_in" });
    const [row] = await database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.email, "old@hub.test"));
    expect(row!.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await attempt("old@hub.test", "old password", "192.0.2.7")).toMatchObject({ kind: "signed_in" });
    expect(await attempt("old@hub.test", "wrong", "192.0.2.7")).toEqual({ kind: "refused" });
  });
});
