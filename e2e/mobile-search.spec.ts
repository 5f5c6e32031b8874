import { screenshot, storageState } from "@/e2e/support/env";
import { zh } from "@/e2e/support/i18n";
import { splitStoreOrder } from "@/e2e/support/scenarios";
import { expect, test } from "@/e2e/support/test";

// A store manager on a phone (issue 12: the results table was 947 px wide in a
// 324 px box, receiver and phone off-screen): below 640 px, one card per notice.
test.use({ storageState: storageState("viewer"), viewport: { width: 390, height: 844 } });

test("at 390 px the search results are cards: receiver and phone on screen, nothing wider than the screen", async ({ page }) => {
  const { order } = await splitStoreOrder();
  const masked = `${order.phone.slice(0, 3)}****${order.phone.slice(-4)}`;

  await page.goto("/search");
  await page.getByLabel(zh("search.placeholder")).fill(order.phone.slice(-4));
  await page.getByRole("button", { name: zh("search.submit") }).click();
  const card = page.getByTestId("search-cards").getByRole("listitem").filter({ hasText: order.dispatchNO });
  await expect(card).toBeVisible();
  for (const text of [order.receiver, masked, order.dispatchNO, zh("status.partially_shipped"), order.shopCode, zh("searchKey.phone")]) {
    await expect(card.getByText(text, { exact: false }).first()).toBeInViewport();
  }
  await expect(page.getByRole("table")).toBeHidden();
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  expect(widths.page).toBeLessThanOrEqual(widths.screen);
  await page.screenshot({ path: screenshot("search-results-phone"), fullPage: true });

  await card.click();
  await expect(page).toHaveURL(/\/notices\/\d+$/);
  const notice = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  expect(notice.page, "the notice page stacks too").toBeLessThanOrEqual(notice.screen);
});
