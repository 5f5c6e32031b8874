import { expect, test } from "@/e2e/support/test";
import { screenshot, storageState } from "@/e2e/support/env";
import { zh } from "@/e2e/support/i18n";
import { sideName } from "@/lib/i18n/glossary";
import { callHub } from "@/e2e/support/partner-api";
import { splitStoreOrder } from "@/e2e/support/scenarios";
import { noticeShipped } from "@/test/partner/messages";

test.use({ storageState: storageState("viewer") });

test("a split store order shows both warehouses' transfers with waybills and serials, and one timeline", async ({ page }) => {
  const { order, transfers } = await splitStoreOrder();
  await callHub("/oms/delivery/notice", noticeShipped(order.dispatchNO, [...transfers]));

  await page.goto(`/search?q=${order.dispatchNO}`);
  await page.getByRole("link", { name: order.dispatchNO }).click();
  await expect(page).toHaveURL(/\/notices\/\d+$/);

  const header = page.locator("section").first();
  await expect(header).toContainText(order.dispatchNO);
  await expect(header).toContainText(zh("status.shipped"));
  // A viewer sees the phone masked on the notice page too (SPEC §10), never in full anywhere on it.
  await expect(header).toContainText(`${order.phone.slice(0, 3)}****${order.phone.slice(-4)}`);
  await expect(page.locator("main")).not.toContainText(order.phone);

  const shipments = page.locator("section").filter({ has: page.getByRole("heading", { name: zh("notice.shipments") }) });
  for (const shipped of transfers) {
    const warehouse = shipments.locator("div.space-y-2").filter({ hasText: shipped.transferCode });
    await expect(warehouse).toContainText(shipped.shipName);
    await expect(warehouse).toContainText(shipped.shipCode);
    for (const pkg of shipped.packages) {
      await expect(warehouse).toContainText(pkg.waybillCode);
      for (const item of pkg.items) await expect(warehouse).toContainText(item.sn);
    }
  }

  const timeline = page.locator("section").filter({ has: page.getByRole("heading", { name: zh("notice.timeline") }) });
  const entries = timeline.locator("li");
  const inbound = (side: string, path: string) =>
    entries.filter({ hasText: zh("timeline.inbound", { side }) }).filter({ hasText: path }).filter({ hasText: zh("exchangeOutcome.accepted") });
  const outbound = (side: string, path: string) =>
    entries.filter({ hasText: zh("timeline.outbound", { side }) }).filter({ hasText: path }).filter({ hasText: zh("queue.delivered") });
  await expect(inbound(sideName("pos", "zh-CN"), "/pos/ordermake")).toHaveCount(1);
  await expect(inbound(sideName("oms", "zh-CN"), "/oms/delivery/package")).toHaveCount(2);
  await expect(inbound(sideName("oms", "zh-CN"), "/oms/delivery/notice")).toHaveCount(1);
  // Deliveries are shown as they stand; the page refreshes itself until all went through.
  await expect(outbound(sideName("oms", "zh-CN"), "/pos/ordermake")).toHaveCount(1, { timeout: 15_000 });
  await expect(outbound(sideName("pos", "zh-CN"), "/oms/delivery/package")).toHaveCount(2, { timeout: 15_000 });
  await expect(outbound(sideName("pos", "zh-CN"), "/oms/delivery/notice")).toHaveCount(1, { timeout: 15_000 });
  await expect(header).toContainText(zh("sync.done"));

  await page.screenshot({ path: screenshot("notice-split-shipment"), fullPage: true });
});
