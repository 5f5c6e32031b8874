/**
 * The sign-in endpoint over HTTP (next-auth's credentials callback): after a
 * few wrong passwords the account is locked with 429 and Retry-After, checked
 * before any hashing, and the wait grows (SPEC §10).
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { captureLogForTests } from "@/server/log";
import { createUser } from "@/server/users/users";

const { GET, POST } = await import("@/app/api/auth/[...nextauth]/route");
const database = useTestDatabase();
const origin = "http://hub.test";

/** A CSRF token and its cookie, as a browser gets them from /api/auth/csrf. */
async function csrf() {
  const response = await GET(new Request(`${origin}/api/auth/csrf`) as never);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = response.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  return { csrfToken, cookie };
}

async function signIn(email: string, password: string, address: string) {
  const { csrfToken, cookie } = await csrf();
  return POST(
    new Request(`${origin}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": address },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${origin}/search` }),
    }),
  );
}

describe("sign-in over HTTP", () => {
  it("answers 429 with Retry-After once an account has failed 5 times, even for the right password", async () => {
    const logged = captureLogForTests();
    await createUser(database.db, { email: "clerk@hub.test", password: "right password", role: "viewer", createdBy: "test" });
    const good = await signIn("clerk@hub.test", "right password", "192.0.2.1");
    expect(good.status).toBe(302);
    expect(good.headers.get("location")).toBe(`${origin}/search`);

    for (let i = 0; i < 4; i++) {
      const refused = await signIn("clerk@hub.test", `wrong ${i}`, "192.0.2.1");
      expect(refused.status).toBe(302);
      expect(refused.headers.get("location")).toContain("error=CredentialsSignin");
    }
    const locking = await signIn("clerk@hub.test", "wrong 5", "192.0.2.1");
    expect(locking.status).toBe(429);
    expect(Number(locking.headers.get("retry-after"))).toBeGreaterThan(10);
    expect(Number(locking.headers.get("retry-after"))).toBeLessThanOrEqual(15);

    const locked = await signIn("clerk@hub.test", "right password", "198.51.100.9");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await locked.json()).toMatchObject({ error: "too_many_attempts" });

    // One line per refused attempt, with e-mail and address, never the password.
    logged.restore();
    const refusals = logged.lines.filter((line) => line.msg === "sign-in refused");
    expect(refusals).toHaveLength(5);
    expect(refusals[0]).toMatchObject({ level: 40, email: "clerk@hub.test", address: "192.0.2.1" });
    expect(logged.text()).not.toMatch(/wrong \d|right password/);
  });

  it("refuses a sign-in body over 16 KiB with 413", async () => {
    const { csrfToken, cookie } = await csrf();
    const response = await POST(
      new Request(`${origin}/api/auth/callback/credentials`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body: new URLSearchParams({ email: "x@hub.test", password: "p".repeat(20_000), csrfToken }),
      }),
    );
    expect(response.status).toBe(413);
  });
});
