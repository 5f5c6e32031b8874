import type { Page } from "@playwright/test";
import { expect, test } from "@/e2e/support/test";
import { storageState } from "@/e2e/support/env";
import { answerOn } from "@/e2e/support/fake-partners";
import { zh } from "@/e2e/support/i18n";
import { callHub } from "@/e2e/support/partner-api";
import { shipFromStoreOrder } from "@/test/partner/messages";

test.use({ storageState: storageState("viewer") });

test.afterEach(() => answerOn("pos", "/oms/pushorder", null));

const ACTIONS = [zh("actions.retryNow"), zh("actions.resolve"), zh("actions.cancel"), zh("actions.editAndResend")];

/** Opens a page and waits until it knows who is reading (the buttons depend on it). */
async function openAs(page: Page, url: string) {
  const knowsRole = page.waitForResponse((response) => response.url().includes("admin.me") && response.ok());
  await page.goto(url);
  await knowsRole;
}

async function expectNoActionButtons(page: Page) {
  for (const name of ACTIONS) await expect(page.getByRole("button", { name, exact: true })).toHaveCount(0);
  await expect(page.getByRole("checkbox")).toHaveCount(0);
}

test("a viewer sees no action buttons and the action procedure answers FORBIDDEN", async ({ page, browser }) => {
  await answerOn("pos", "/oms/pushorder", { kind: "refuse", msg: "门店库存不足" });
  const order = shipFromStoreOrder();
  await callHub("/oms/pushorder", order);

  await openAs(page, "/deliveries");
  await page.getByRole("tab", { name: zh("queue.rejected") }).click();
  const row = page.getByRole("row").filter({ hasText: order.dispatchNO });
  await expect(row).toContainText("门店库存不足", { timeout: 15_000 });
  const id = Number(await row.getByRole("cell").nth(1).innerText());
  // Opens the delivery's detail: by its id cell, as the row's middle may be its problem's link by then.
  await row.getByRole("cell").nth(1).click();
  await expect(page.getByText(zh("delivery.attemptHistory"))).toBeVisible();
  await expectNoActionButtons(page);

  await row.getByRole("link", { name: order.dispatchNO }).click();
  await expect(page.getByText(zh("sync.problems", { n: 1 }))).toBeVisible();
  const noticeUrl = page.url();
  await expectNoActionButtons(page);

  const answer = await page.request.post("/api/trpc/deliveries.retryNow", {
    data: { json: { selection: { ids: [id] }, note: "viewer tries anyway" } },
  });
  expect(answer.status()).toBe(403);
  expect((await answer.json()).error.json.data.code).toBe("FORBIDDEN");
  await page.reload();
  await expect(page.getByText(zh("sync.problems", { n: 1 }))).toBeVisible();

  // The same notice page does offer the actions to an operator.
  const operator = await browser.newContext({ storageState: storageState("operator") });
  const operatorPage = await operator.newPage();
  await openAs(operatorPage, noticeUrl);
  await expect(operatorPage.getByRole("button", { name: zh("actions.retryNow"), exact: true }).first()).toBeVisible();
  await operator.close();
});

// SPEC §10: a viewer (customer service) sees phones masked on every page, raw
// bodies included. A mobile number no page may show whole, also written into
// the address, where only the text rule finds it.
const MOBILE_ANYWHERE = /(?<!\d)1[3-9]\d{9}(?!\d)/;

async function expectNoFullPhone(page: Page, phone: string) {
  const text = await page.locator("body").innerText();
  expect(text).not.toContain(phone);
  expect(text).not.toMatch(MOBILE_ANYWHERE);
}

test("a viewer sees no full phone on any page: search, notice, deliveries, the exchange log with a body opened, problems", async ({ page }) => {
  await answerOn("pos", "/oms/pushorder", { kind: "refuse", msg: "门店库存不足" });
  const phone = `139${String(Date.now()).slice(-8)}`;
  const order = shipFromStoreOrder({ phone, address: `人民路 1 号，到了打 ${phone}` });
  await callHub("/oms/pushorder", order);
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;

  await page.goto(`/search?q=${order.dispatchNO}`);
  await expect(page.getByRole("link", { name: order.dispatchNO })).toBeVisible();
  await expectNoFullPhone(page, phone);

  await page.getByRole("link", { name: order.dispatchNO }).click();
  await expect(page).toHaveURL(/\/notices\/\d+$/);
  await expect(page.locator("main")).toContainText(masked);
  await expectNoFullPhone(page, phone);

  await page.goto("/deliveries?queue=rejected");
  const delivery = page.getByRole("row").filter({ hasText: order.dispatchNO });
  await expect(delivery).toContainText("门店库存不足", { timeout: 15_000 });
  await delivery.click();
  await expect(page.getByText(zh("delivery.attemptHistory"))).toBeVisible();
  await expectNoFullPhone(page, phone);

  await page.goto("/exchanges");
  await page.getByLabel(zh("notice.dispatchNo")).fill(order.dispatchNO);
  await page.getByRole("row").filter({ hasText: order.dispatchNO }).first().click();
  // The whole body, loaded when the row opens, masked on the server.
  await expect(page.locator("pre").first()).toContainText(masked);
  await expectNoFullPhone(page, phone);

  await page.goto("/problems");
  await expect(page.getByRole("tablist")).toBeVisible();
  await expect(page.getByRole("row").nth(1)).toBeVisible();
  await expectNoFullPhone(page, phone);
});
