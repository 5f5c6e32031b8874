import { expect, test } from "@/e2e/support/test";
import { screenshot, storageState } from "@/e2e/support/env";
import { zh } from "@/e2e/support/i18n";
import { callHub } from "@/e2e/support/partner-api";
import { splitStoreOrder } from "@/e2e/support/scenarios";
import { uniqueCode, waybillChange } from "@/test/partner/messages";

// Customer service finds an order by whatever the caller quotes.
test.use({ storageState: storageState("viewer") });

test("a viewer finds a notice by phone tail, serial and a waybill since changed; phones are masked", async ({ page }) => {
  const { order, transfers } = await splitStoreOrder();
  const oldWaybill = transfers[0].packages[0]!.waybillCode;
  const serial = transfers[1].packages[0]!.items[0]!.sn;
  await callHub("/oms/delivery/waybillchange", waybillChange(oldWaybill, uniqueCode("JD")));

  const masked = `${order.phone.slice(0, 3)}****${order.phone.slice(-4)}`;
  await page.goto("/search");
  for (const term of [order.phone.slice(-4), serial, oldWaybill]) {
    await page.getByLabel(zh("search.placeholder")).fill(term);
    await page.getByRole("button", { name: zh("search.submit") }).click();
    await expect(page).toHaveURL(`/search?q=${term}`);
    const row = page.getByRole("row").filter({ hasText: order.dispatchNO });
    await expect(row, `search by ${term}`).toBeVisible();
    await expect(row).toContainText(masked);
    await expect(row).toContainText(order.receiver);
    await expect(row).toContainText(zh("status.partially_shipped"));
  }
  // A waybill means one notice: the pager says how many were found in all.
  await expect(page.getByTestId("pager-summary")).toHaveText(zh("feedback.totals", { n: "1", pages: "1" }));
  await expect(page.getByRole("table")).not.toContainText(order.phone);
  await page.screenshot({ path: screenshot("search-results") });
});
