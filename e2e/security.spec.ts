import type { Page } from "@playwright/test";
import { expect, test } from "@/e2e/support/test";
import { hubUrl, storageState, tokens } from "@/e2e/support/env";
import { readHubLog } from "@/e2e/support/hub-log";
import { splitStoreOrder } from "@/e2e/support/scenarios";
import { zh } from "@/e2e/support/i18n";
import { createUserAsAdmin, submitSignIn } from "@/e2e/support/users";

// Each test signs in users of its own: signing out or resetting ends every
// session of that user, and the other specs keep using the shared ones.
const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;

// A notice's page is added by the test: its own notice, so the spec does not depend on ids others created (a
// warm-up's rolled-back inserts use up sequence values: the first notice is not id 1).
const PAGES = ["/search", "/deliveries", "/overview", "/exchanges", "/admin/users", "/admin/tokens", "/admin/settings", "/change-password"];

/** Console errors of the CSP kind, and violations the page itself saw. */
function watchCsp(page: Page) {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
  });
  // A blocked script or style shows up as a console error above, and as a page that never hydrates below.
  page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
  return problems;
}

test.describe("as the admin", () => {
  test.use({ storageState: storageState("admin") });

  test("every page carries the security headers, works under its CSP and logs no violation", async ({ page }) => {
    const { order } = await splitStoreOrder();
    await page.goto(`/search?q=${order.dispatchNO}`);
    const notice = (await page.getByRole("link", { name: order.dispatchNO }).getAttribute("href"))!;
    const problems = watchCsp(page);
    for (const path of [...PAGES, notice]) {
      const response = await page.goto(path);
      const headers = response!.headers();
      expect(headers["content-security-policy"], path).toMatch(/frame-ancestors 'none'/);
      expect(headers["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["referrer-policy"], path).toBe("same-origin");
      expect(headers["x-powered-by"], path).toBeUndefined();
      expect(headers["strict-transport-security"], path).toBeUndefined(); // plain http here
      // Hydrated: the client knows who is reading (a tRPC call made by the page's scripts).
      await expect(page.getByTestId("current-user")).toBeVisible();
    }
    // Client-side work runs too: the search box drives a tRPC query.
    await page.goto("/search");
    await expect(page.locator("table, [role=status], p").first()).toBeVisible();
    expect(problems).toEqual([]);
  });
});

test("the API, the partner endpoints and https answers carry the headers; a new nonce each time", async ({ request }) => {
  const first = await request.get("/sign-in");
  const second = await request.get("/sign-in");
  const nonceOf = (policy: string | undefined) => /'nonce-([^']+)'/.exec(policy ?? "")?.[1];
  expect(nonceOf(first.headers()["content-security-policy"])).toBeTruthy();
  expect(nonceOf(first.headers()["content-security-policy"])).not.toBe(nonceOf(second.headers()["content-security-policy"]));

  const health = await request.get("/api/health");
  expect(health.headers()["x-content-type-options"]).toBe("nosniff");
  expect(health.headers()["x-powered-by"]).toBeUndefined();
  const partner = await request.post("/pos/ordermake", { data: {}, headers: { authorization: `Bearer ${tokens.hubPos}` } });
  expect(partner.headers()["x-content-type-options"]).toBe("nosniff");
  expect(partner.headers()["referrer-policy"]).toBe("same-origin");

  const behindTls = await request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
  expect(behindTls.headers()["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
});

test("a cross-site form post to a page is refused, and the hub logs why in JSON lines (no `⨯` text)", async ({ request }) => {
  // A form post from another site to a page is a Server Action request to Next.js, refused as CSRF with a 500.
  const forged = await request.post("/sign-in", { headers: { origin: "http://evil.example" }, multipart: { email: "a@b.c" } });
  expect(forged.status()).toBe(500);
  // readHubLog fails on any stdout line that is not a JSON log line; the teardown checks the whole run the same way.
  await expect
    .poll(() => readHubLog().filter((line) => line.level === 50 && JSON.stringify(line.err ?? "").includes("Invalid Server Actions request")).length)
    .toBeGreaterThan(0);
  expect(readHubLog().some((line) => line.level === 50 && String(line.msg).includes("evil.example"))).toBe(true);
});

test("signing out ends a copied session cookie", async ({ browser, browserErrors }) => {
  // The copied session's open page asks for data after the session ended: refused, as it should be.
  browserErrors.allow(/401 \(Unauthorized\) \(.*\/api\/trpc\//);
  const user = { email: `leaver-${unique()}@e2e.test`, password: "leaver-password" };
  await (await createUserAsAdmin(browser, user)).context().close();

  const original = await browser.newContext({ baseURL: hubUrl });
  const page = await original.newPage();
  await submitSignIn(page, user.email, user.password);
  await expect(page).toHaveURL(/\/search$/);

  const copy = await browser.newContext({ baseURL: hubUrl });
  await copy.addCookies(await original.cookies());
  const thief = await copy.newPage();
  await thief.goto("/deliveries");
  await expect(thief.getByTestId("current-user")).toContainText(user.email);

  await page.getByRole("button", { name: zh("nav.signOut") }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  await thief.goto("/deliveries");
  await expect(thief).toHaveURL(/\/sign-in/);
  const call = await thief.request.get(`/api/trpc/admin.me?input=${encodeURIComponent(JSON.stringify({ json: null }))}`);
  expect(call.status()).toBe(401);
  await original.close();
  await copy.close();
});

test("an admin resets a password, shown once; the user must change it before anything else", async ({ browser }) => {
  const user = { email: `forgetful-${unique()}@e2e.test`, password: "first-password" };
  const admin = await createUserAsAdmin(browser, user);
  await admin.getByRole("button", { name: `${zh("admin.resetPassword")} ${user.email}` }).click();
  await admin.getByRole("dialog", { name: zh("feedback.resetTitle", { email: user.email }) }).getByRole("button", { name: zh("admin.resetPassword") }).click();
  const shown = admin.getByTestId("reset-password");
  await expect(shown).toBeVisible();
  const resetPassword = (await shown.textContent())!.trim();
  expect(resetPassword).toMatch(/^[\w-]{22}$/);
  await admin.context().close();

  const context = await browser.newContext({ baseURL: hubUrl });
  const page = await context.newPage();
  await submitSignIn(page, user.email, user.password);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(zh("signIn.failed"));

  await submitSignIn(page, user.email, resetPassword);
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByRole("main").getByRole("status")).toHaveText(zh("password.mustChange"));
  for (const path of ["/search", "/admin/users", "/deliveries"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/change-password$/);
  }
  const data = await page.request.get(`/api/trpc/notices.search?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
  expect(data.status()).toBe(403);

  await page.getByLabel(zh("password.current")).fill(resetPassword);
  await page.getByLabel(zh("password.new")).fill("my-own-password");
  await page.getByLabel(zh("password.confirm")).fill("my-own-password");
  await page.getByRole("button", { name: zh("password.submit") }).click();
  await expect(page).toHaveURL(/\/search$/);
  await expect(page.getByTestId("current-user")).toContainText(user.email);
  await context.close();
});

test("after 5 wrong passwords the sign-in page says how long to wait", async ({ page }) => {
  const email = `nobody-${unique()}@e2e.test`;
  for (let i = 0; i < 4; i++) {
    await submitSignIn(page, email, `guess-${i}`);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(zh("signIn.failed"));
  }
  await submitSignIn(page, email, "guess-5");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(zh("signIn.throttled", { wait: zh("signIn.waitSeconds", { n: 15 }) }));
});
