import { expect, test as setup } from "@playwright/test";
import { storageState, users } from "@/e2e/support/env";
import { zh } from "@/e2e/support/i18n";
import { signIn } from "@/e2e/support/sign-in";

// The admin (from ADMIN_EMAIL) creates an operator and a viewer in the admin
// UI; each one's signed-in browser state is kept for the specs.

setup("the admin creates an operator and a viewer, and everyone signs in", async ({ page, browser }) => {
  await signIn(page, "admin");
  await page.context().storageState({ path: storageState("admin") });

  await page.goto("/admin/users");
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: zh("admin.create") }) });
  for (const role of ["operator", "viewer"] as const) {
    await form.getByLabel(zh("admin.email")).fill(users[role].email);
    await form.getByLabel(zh("admin.password")).fill(users[role].password);
    await form.getByLabel(zh("admin.role")).selectOption(role);
    await form.getByRole("button", { name: zh("admin.create") }).click();
    const row = page.getByRole("row").filter({ hasText: users[role].email });
    await expect(row.getByLabel(`${zh("admin.role")} ${users[role].email}`)).toHaveValue(role);
  }

  for (const role of ["operator", "viewer"] as const) {
    const context = await browser.newContext();
    await signIn(await context.newPage(), role);
    await context.storageState({ path: storageState(role) });
    await context.close();
  }
});
