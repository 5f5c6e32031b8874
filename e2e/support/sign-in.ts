import { expect, type Page } from "@playwright/test";
import { users, type UserName } from "@/e2e/support/env";
import { zh } from "@/e2e/support/i18n";

/** Signs in through the sign-in form and lands on the role's landing page: Problems for ops, the search for viewers. */
export async function signIn(page: Page, user: UserName) {
  await page.goto("/sign-in");
  await page.getByLabel(zh("admin.email")).fill(users[user].email);
  await page.getByLabel(zh("admin.password")).fill(users[user].password);
  await page.getByRole("button", { name: zh("signIn.submit") }).click();
  await expect(page).toHaveURL(user === "viewer" ? /\/search$/ : /\/problems$/);
  await expect(page.getByTestId("current-user")).toContainText(users[user].email);
}
