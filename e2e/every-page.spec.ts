import { hubUrl, storageState } from "@/e2e/support/env";
import { answerOn } from "@/e2e/support/fake-partners";
import { callHub } from "@/e2e/support/partner-api";
import { splitStoreOrder } from "@/e2e/support/scenarios";
import { expect, test } from "@/e2e/support/test";
import { shipFromStoreOrder } from "@/test/partner/messages";

// Every dashboard page, server-rendered and hydrated in both languages, with
// times, ages and a problem on screen: the `test` fixture fails the run on any
// console error or page error (React's hydration error #418 among them).

test.use({ storageState: storageState("admin") });

test.afterEach(() => answerOn("pos", "/oms/pushorder", null));

const PAGES = [
  "/overview",
  "/search",
  "/deliveries",
  "/deliveries?queue=rejected",
  "/problems",
  "/exchanges",
  "/admin/users",
  "/admin/tokens",
  "/admin/settings",
  "/admin/alerts",
  "/admin/alerts/rules",
  "/admin/alerts/sends",
  "/change-password",
];

for (const locale of ["zh-CN", "en"] as const) {
  test(`every page renders and hydrates without a console error (${locale})`, async ({ page, context }) => {
    await context.addCookies([{ name: "hub-locale", value: locale, url: hubUrl }]);
    const { order } = await splitStoreOrder();
    await answerOn("pos", "/oms/pushorder", { kind: "refuse", msg: "门店盘点中" });
    await callHub("/oms/pushorder", shipFromStoreOrder());

    const paths = [...PAGES, `/search?q=${order.dispatchNO}`];
    for (const path of paths) {
      await page.goto(path);
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
      await expect(page.getByTestId("current-user")).toBeVisible();
    }
    await page.goto(`/search?q=${order.dispatchNO}`);
    await page.getByRole("link", { name: order.dispatchNO }).click();
    await expect(page).toHaveURL(/\/notices\/\d+$/);
    await page.reload();
    await expect(page.locator("main")).toContainText(order.dispatchNO);
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
    const problem = await page.goto("/problems");
    expect(problem?.ok()).toBe(true);
    const link = page.locator('a[href^="/problems/"]').first();
    if (await link.count()) {
      await page.goto((await link.getAttribute("href"))!);
      await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
    }
  });
}
