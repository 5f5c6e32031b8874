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
  // One group per call in, each with the delivery it produced, on one line.
  const group = (side: string, path: string) =>
    timeline.getByTestId("timeline-group").filter({ hasText: zh("timeline.inbound", { side }) }).filter({ hasText: path }).filter({ hasText: zh("exchangeOutcome.accepted") });
  const ordered = group(sideName("pos", "zh-CN"), "/pos/ordermake");
  const packages = group(sideName("oms", "zh-CN"), "/oms/delivery/package");
  const shippedAll = group(sideName("oms", "zh-CN"), "/oms/delivery/notice");
  await expect(ordered).toHaveCount(1);
  await expect(packages).toHaveCount(2);
  await expect(shippedAll).toHaveCount(1);
  // Deliveries are shown as they stand; the server tells the page when they went through.
  await expect(ordered).toContainText(`→ ${sideName("oms", "zh-CN")} ${zh("queue.delivered")}`, { timeout: 15_000 });
  for (const shipped of await packages.all()) await expect(shipped).toContainText(`→ ${sideName("pos", "zh-CN")} ${zh("queue.delivered")}`, { timeout: 15_000 });
  await expect(shippedAll).toContainText(`→ ${sideName("pos", "zh-CN")} ${zh("queue.delivered")}`, { timeout: 15_000 });
  await expect(header).toContainText(zh("sync.done"));

  await page.screenshot({ path: screenshot("notice-split-shipment"), fullPage: true });
});
