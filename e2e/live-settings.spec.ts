import { expect, test } from "@/e2e/support/test";
import { ports, screenshot, storageState } from "@/e2e/support/env";
import { zh } from "@/e2e/support/i18n";
import { callHub } from "@/e2e/support/partner-api";
import { startFakeCounterpart, type FakeCounterpart } from "@/test/fakes/fake-counterpart";
import { storeOrder } from "@/test/partner/messages";

// Issue #12: an admin changes where deliveries to the OMS go, and the token the
// hub presents there, in the settings page; the next delivery goes there, no restart.

test.use({ storageState: storageState("admin") });

const NEW_TOKEN = "moved-oms-token-e2e-0123456789";
let moved: FakeCounterpart;

test.beforeAll(async () => {
  moved = await startFakeCounterpart({ name: "oms", port: ports.robot + 1, token: NEW_TOKEN });
});
test.afterAll(async () => {
  await moved?.close();
});

test("a delivery target and token changed in the settings page are used by the next delivery; back to default uses the environment's", async ({ page }) => {
  await page.goto("/admin/settings");
  const target = page.locator('tr[data-setting="OMS_BASE_URL"]');
  await expect(target).toContainText(zh("settings.label.OMS_BASE_URL"));
  await expect(target).toContainText(zh("settings.source.environment"));

  await target.getByRole("button", { name: `${zh("settings.edit")} ${zh("settings.label.OMS_BASE_URL")}` }).click();
  const address = target.getByLabel(zh("settings.label.OMS_BASE_URL"));
  await address.fill("127.0.0.1:9");
  await expect(target.getByRole("alert")).toHaveText(zh("settings.problem.url"));
  await expect(target.getByRole("button", { name: zh("settings.save") })).toBeDisabled();
  await address.fill(moved.url);
  await target.getByRole("button", { name: zh("settings.save") }).click();
  await expect(page.locator("[data-sonner-toast]").filter({ hasText: zh("settings.saved", { label: zh("settings.label.OMS_BASE_URL") }) })).toBeVisible();
  await expect(target).toContainText(zh("settings.source.stored"));

  const token = page.locator('tr[data-setting="OMS_TOKEN"]');
  await token.getByRole("button", { name: `${zh("settings.edit")} ${zh("settings.label.OMS_TOKEN")}` }).click();
  await token.getByLabel(zh("settings.label.OMS_TOKEN")).fill(NEW_TOKEN);
  await token.getByRole("button", { name: zh("settings.save") }).click();
  await expect(token).toContainText(zh("settings.source.stored"));
  // Never in clear again: not in the page, not in the history.
  await expect(page.getByText(NEW_TOKEN)).toHaveCount(0);
  const history = page.locator("section").filter({ has: page.getByRole("heading", { name: zh("settings.audit") }) });
  await expect(history.getByRole("row").filter({ hasText: zh("settings.label.OMS_BASE_URL") }).first()).toContainText(moved.url);
  await page.screenshot({ path: screenshot("admin-settings"), fullPage: true });

  const order = storeOrder();
  await callHub("/pos/ordermake", order);
  const call = await moved.waitFor((received) => received.body.includes(order.dispatchNO), 15_000);
  expect(call.authorized).toBe(true);

  for (const key of ["OMS_BASE_URL", "OMS_TOKEN"] as const) {
    const row = page.locator(`tr[data-setting="${key}"]`);
    await row.getByRole("button", { name: `${zh("settings.reset")} ${zh(`settings.label.${key}`)}` }).click();
    await expect(row).toContainText(zh("settings.source.environment"));
  }
  const after = storeOrder();
  await callHub("/pos/ordermake", after);
  await page.goto("/deliveries?queue=delivered");
  await expect(page.getByRole("row").filter({ hasText: after.dispatchNO })).toBeVisible({ timeout: 15_000 });
  expect(moved.received.some((received) => received.body.includes(after.dispatchNO))).toBe(false);
});
