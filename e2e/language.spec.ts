import { expect, test } from "@/e2e/support/test";
import { storageState } from "@/e2e/support/env";
import { en, zh } from "@/e2e/support/i18n";

test.use({ storageState: storageState("operator") });

test("Chinese by default; the language switch turns the navigation into English", async ({ page }) => {
  const NAV = ["nav.search", "nav.deliveries", "nav.overview", "nav.exchanges"] as const;
  await page.goto("/search");
  const nav = page.getByRole("navigation").first();
  for (const key of NAV) await expect(nav.getByRole("link", { name: zh(key) })).toBeVisible();

  await page.getByLabel(zh("nav.language")).selectOption("en");
  for (const key of NAV) await expect(nav.getByRole("link", { name: en(key) })).toBeVisible();
  await expect(nav.getByRole("link", { name: zh("nav.deliveries") })).toHaveCount(0);
  await expect(page.getByRole("button", { name: en("nav.signOut") })).toBeVisible();

  await page.reload(); // kept for the next visit
  await expect(nav.getByRole("link", { name: en("nav.overview") })).toBeVisible();
});
