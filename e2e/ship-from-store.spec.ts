import { expect, test } from "@/e2e/support/test";
import { screenshot, storageState } from "@/e2e/support/env";
import { zh } from "@/e2e/support/i18n";
import { shipFromStoreCheckout } from "@/e2e/support/scenarios";
import { line, SKU_A, SKU_B, SKU_C } from "@/test/partner/messages";
import type { Page } from "@playwright/test";

test.use({ storageState: storageState("viewer") });

async function openNotice(page: Page, dispatchNo: string) {
  await page.goto(`/search?q=${dispatchNo}`);
  await page.getByRole("link", { name: dispatchNo }).first().click();
  await expect(page).toHaveURL(/\/notices\/\d+$/);
  return page.locator("section").filter({ has: page.getByRole("heading", { name: zh("notice.items") }) });
}

// Column of the items table: product, color, size, ordered, shipped, returned, serials.
const SHIPPED = 4;

test("a shipped ship-from-store notice never says 已发 0: serials on the line of a one-line order, else a total 件码未带货号", async ({ page }) => {
  const twoLines = await shipFromStoreCheckout([line(SKU_A, 1), line(SKU_B, 1)]);
  const items = await openNotice(page, twoLines.order.dispatchNO);
  await expect(page.locator("section").first()).toContainText(zh("status.shipped"));
  const total = items.getByTestId("serials-without-sku");
  await expect(total).toContainText(zh("notice.unmatchedShipped", { n: 2 }));
  for (const sn of twoLines.serials) await expect(total).toContainText(sn);
  for (const sku of [SKU_A, SKU_B]) {
    await expect(items.getByRole("row").filter({ hasText: sku.product }).getByRole("cell").nth(SHIPPED)).toHaveText("—");
  }
  await page.screenshot({ path: screenshot("notice-ship-from-store"), fullPage: true });

  const oneLine = await shipFromStoreCheckout([line(SKU_C, 2)]);
  const single = await openNotice(page, oneLine.order.dispatchNO);
  const row = single.getByRole("row").filter({ hasText: SKU_C.product });
  await expect(row.getByRole("cell").nth(SHIPPED)).toHaveText("2");
  for (const sn of oneLine.serials) await expect(row).toContainText(sn);
  await expect(single.getByTestId("serials-without-sku")).toHaveCount(0);
});
