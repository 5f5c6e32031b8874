import { storageState } from "@/e2e/support/env";
import { zh } from "@/e2e/support/i18n";
import { splitStoreOrder } from "@/e2e/support/scenarios";
import { expect, test } from "@/e2e/support/test";

// Pages arrive with their data (issue 12: the overview arrived blank): with
// scripts off, what the reader sees is only what the server rendered.

test.use({ storageState: storageState("operator"), javaScriptEnabled: false });

test("with scripts off, the overview, search results, notice page, deliveries and problems show their data", async ({ page }) => {
  const { order } = await splitStoreOrder();

  await page.goto("/overview");
  await expect(page.getByText(new RegExp(`^${zh("overview.volume")} [1-9]\\d* · ${zh("overview.failed")} \\d+`))).toBeVisible();
  await expect(page.getByTestId("tile-problems")).toContainText(/\d/);

  await page.goto(`/search?q=${order.dispatchNO}`);
  const link = page.getByRole("link", { name: order.dispatchNO });
  await expect(link).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: order.dispatchNO })).toContainText(order.receiver);

  const notice = (await link.getAttribute("href"))!;
  await page.goto(notice);
  await expect(page.locator("main")).toContainText(order.dispatchNO);
  await expect(page.locator("main")).toContainText("/oms/delivery/package");

  // Each look is a fresh server render: the notice's three deliveries (its creation, two packages) go out meanwhile.
  await expect(async () => {
    await page.goto(`/deliveries?queue=delivered&noticeId=${notice.split("/").pop()}`);
    await expect(page.getByRole("row").filter({ hasText: order.dispatchNO })).toHaveCount(3, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });

  await page.goto("/problems");
  // The tab counts are numbers, not the "…" shown while loading.
  await expect(page.getByRole("tab", { name: new RegExp(`^${zh("common.all")} \\d+$`) })).toBeVisible();
});
