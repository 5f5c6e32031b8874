import type { Page } from "@playwright/test";
import { expect, test } from "@/e2e/support/test";
import { storageState } from "@/e2e/support/env";
import { answerOn } from "@/e2e/support/fake-partners";
import { zh } from "@/e2e/support/i18n";
import { callHub } from "@/e2e/support/partner-api";
import { shipFromStoreOrder } from "@/test/partner/messages";

// Partners' payloads are shown as text, never as markup.
test.use({ storageState: storageState("operator") });

test.afterEach(() => answerOn("pos", "/oms/pushorder", null));

const SCRIPT = "<script>window.__xss=1</script>";
const IMAGE = '<img src=x onerror="window.__xss=1">';

async function expectNothingRan(page: Page) {
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
}

test("markup in a partner's receiver, address and refusal is shown as text everywhere", async ({ page }) => {
  await answerOn("pos", "/oms/pushorder", { kind: "refuse", msg: `缺货 ${IMAGE}` });
  const order = shipFromStoreOrder({ receiver: SCRIPT, address: IMAGE, county: IMAGE });
  await callHub("/oms/pushorder", order);

  await page.goto(`/search?q=${order.dispatchNO}`);
  const found = page.getByRole("row").filter({ hasText: order.dispatchNO });
  await expect(found.getByRole("cell", { name: SCRIPT, exact: true })).toBeVisible();
  await expectNothingRan(page);

  await found.getByRole("link", { name: order.dispatchNO }).click();
  await expect(page).toHaveURL(/\/notices\/\d+$/);
  await expect(page.getByText(SCRIPT, { exact: true })).toBeVisible();
  await expect(page.getByText(`${order.province} ${order.city} ${IMAGE} ${IMAGE}`)).toBeVisible();
  await expectNothingRan(page);

  await page.goto("/exchanges");
  await page.getByLabel(zh("notice.dispatchNo")).fill(order.dispatchNO);
  await page.getByRole("row").filter({ hasText: order.dispatchNO }).filter({ hasText: "/oms/pushorder" }).click();
  const request = page.locator("pre").first();
  await expect(request).toContainText(SCRIPT);
  await expect(request).toContainText("<img src=x onerror=");
  await expectNothingRan(page);

  await page.goto("/deliveries");
  await page.getByRole("tab", { name: zh("queue.rejected") }).click();
  const rejected = page.getByRole("row").filter({ hasText: order.dispatchNO });
  await expect(rejected).toContainText(`缺货 ${IMAGE}`, { timeout: 15_000 });
  await rejected.click();
  await expect(page.locator("pre").filter({ hasText: SCRIPT })).toBeVisible();
  await expectNothingRan(page);
});
