import { expect, test } from "@/e2e/support/test";
import { screenshot, storageState } from "@/e2e/support/env";
import { answerOn } from "@/e2e/support/fake-partners";
import { zh } from "@/e2e/support/i18n";
import { callHub } from "@/e2e/support/partner-api";
import { packageShipped, piece, SKU_A, storeOrder, transfer, uniqueCode } from "@/test/partner/messages";

test.use({ storageState: storageState("operator") });

test.afterEach(() => answerOn("oms", "/pos/ordermake", null));

test("an operator finds an OMS outage's problem from the landing page, retries the whole group after recovery and sees it resolve", async ({ page }) => {
  // The OMS drops every store order's connection: an outage as the hub sees it.
  await answerOn("oms", "/pos/ordermake", { kind: "reset" });
  const orders = [storeOrder(), storeOrder(), storeOrder()];
  for (const order of orders) await callHub("/pos/ordermake", order);
  // The first order's package waits behind its stuck creation (head-of-line).
  const waybill = uniqueCode("WB");
  await callHub("/oms/delivery/package", packageShipped(orders[0]!.dispatchNO, transfer("T1", "WH-SH", [{ waybillCode: waybill, items: [piece(SKU_A)] }])));

  await page.goto("/");
  await expect(page).toHaveURL(/\/problems$/);
  const problem = page.getByRole("row").filter({ hasText: "/pos/ordermake" }).filter({ hasText: zh("failure.connection_reset") });
  await expect(problem).toContainText(zh("problemState.open"), { timeout: 25_000 });
  const heads = page.locator("section").filter({ has: page.getByRole("heading", { name: zh("problems.heads") }) });
  await expect(heads.getByRole("row").filter({ hasText: orders[0]!.dispatchNO })).toContainText(zh("problems.blocks", { n: 1 }));

  await problem.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/problems\/\d+$/);
  const deliveries = page.locator("section").filter({ has: page.getByRole("heading", { name: zh("problems.deliveries") }) });
  for (const order of orders) await expect(deliveries.getByRole("row").filter({ hasText: order.dispatchNO })).toContainText(zh("queue.timed_out"), { timeout: 25_000 });
  await expect(page.getByTestId("problem-open-count")).toHaveText("3");
  await page.screenshot({ path: screenshot("problem-outage") });

  await answerOn("oms", "/pos/ordermake", null);
  const group = page.locator("section").filter({ has: page.getByRole("heading", { name: zh("problems.groupActions") }) });
  await group.getByRole("button", { name: zh("actions.retryNow"), exact: true }).click();
  const dialog = page.getByRole("dialog", { name: zh("actions.retryNow") });
  await expect(dialog).toContainText(zh("actions.willChange", { n: 3, action: zh("actions.retryNow") }));
  await dialog.getByRole("button", { name: zh("actions.confirm", { n: 3 }) }).click();

  await expect(page.getByText(zh("problemState.resolved")).first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("problem-open-count")).toHaveText("0");
  for (const order of orders) await expect(deliveries.getByRole("row").filter({ hasText: order.dispatchNO })).toContainText(zh("queue.delivered"));
});

test("acting on a stuck head offers to act on what it blocks: one cancel closes the head and the delivery behind it", async ({ page }) => {
  await answerOn("oms", "/pos/ordermake", { kind: "status", status: 503 });
  const order = storeOrder();
  await callHub("/pos/ordermake", order);
  await callHub("/oms/delivery/package", packageShipped(order.dispatchNO, transfer("T1", "WH-SH", [{ waybillCode: uniqueCode("WB"), items: [piece(SKU_A)] }])));

  // A shared link: the timed-out queue of store orders to the OMS.
  await page.goto("/deliveries?queue=timed_out&target=oms&path=%2Fpos%2Fordermake");
  await expect(page.getByRole("tab", { name: zh("queue.timed_out") })).toHaveAttribute("aria-selected", "true");
  const head = page.getByRole("row").filter({ hasText: order.dispatchNO });
  await expect(head).toContainText(zh("delivery.blocks", { n: 1 }), { timeout: 25_000 });
  // Open the row by its id cell (the "blocks 1" badge is a link of its own).
  await head.getByRole("cell").nth(1).click();
  await page.getByLabel(zh("problems.actOnHead", { n: 1 })).check();
  await page.getByRole("button", { name: zh("actions.cancel"), exact: true }).last().click();
  const dialog = page.getByRole("dialog", { name: zh("actions.cancel") });
  await expect(dialog).toContainText(zh("actions.willChange", { n: 2, action: zh("actions.cancel") }));
  await dialog.getByLabel(zh("actions.note")).fill("门店已作废此单");
  await dialog.getByRole("button", { name: zh("actions.confirm", { n: 2 }) }).click();

  await page.goto(`/deliveries?queue=cancelled`);
  await expect(page.getByRole("row").filter({ hasText: order.dispatchNO })).toHaveCount(2);
});
