import { expect, type Browser, type Page } from "@playwright/test";
import { hubUrl, storageState } from "@/e2e/support/env";
import { zh } from "@/e2e/support/i18n";

/** The admin creates a user in the users page; returns the admin's page, left on /admin/users. */
export async function createUserAsAdmin(browser: Browser, user: { email: string; password: string; role?: "viewer" | "operator" | "admin" }) {
  const context = await browser.newContext({ storageState: storageState("admin"), baseURL: hubUrl });
  const page = await context.newPage();
  await page.goto("/admin/users");
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: zh("admin.create") }) });
  await form.getByLabel(zh("admin.email")).fill(user.email);
  await form.getByLabel(zh("admin.password")).fill(user.password);
  await form.getByLabel(zh("admin.role")).selectOption(user.role ?? "viewer");
  await form.getByRole("button", { name: zh("admin.create") }).click();
  await expect(page.getByRole("row").filter({ hasText: user.email })).toBeVisible();
  return page;
}

/** Fills the sign-in form; the caller checks where it lands. */
export async function submitSignIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel(zh("admin.email")).fill(email);
  await page.getByLabel(zh("admin.password")).fill(password);
  await page.getByRole("button", { name: zh("signIn.submit") }).click();
}
