import { expect, test } from "@/e2e/support/test";
import { screenshot, users } from "@/e2e/support/env";
import { zh } from "@/e2e/support/i18n";
import { signIn } from "@/e2e/support/sign-in";

test("a wrong password is refused with a message, nobody is signed in", async ({ page }) => {
  await page.goto("/search");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.screenshot({ path: screenshot("sign-in") });

  await page.getByLabel(zh("admin.email")).fill(users.admin.email);
  await page.getByLabel(zh("admin.password")).fill("not-the-password");
  await page.getByRole("button", { name: zh("signIn.submit") }).click();
  await expect(page.getByRole("alert").filter({ hasText: zh("signIn.failed") })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

// Signing out ends every session of the user, so it is shown with a user of its own (security.spec.ts).
test("the admin signs in and sees who they are", async ({ page }) => {
  await signIn(page, "admin");
  await expect(page.getByTestId("current-user")).toHaveText(`${users.admin.email} · ${zh("role.admin")}`);
  await expect(page.getByRole("link", { name: zh("nav.users") })).toBeVisible();
});
