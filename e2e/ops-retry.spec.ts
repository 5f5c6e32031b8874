import { expect, test } from "@/e2e/support/test";
import { screenshot, storageState, users } from "@/e2e/support/env";
import { answerOn } from "@/e2e/support/fake-partners";
import { zh } from "@/e2e/support/i18n";
import { sideName } from "@/lib/i18n/glossary";
import { callHub } from "@/e2e/support/partner-api";
import { storeOrder } from "@/test/partner/messages";

test.use({ storageState: storageState("operator") });

test.afterEach(() => answerOn("oms", "/pos/ordermake", null));

test("a delivery that timed out while the OMS failed is retried by an operator, delivered and audited", async ({ page }) => {
  await answerOn("oms", "/pos/ordermake", { kind: "status", status: 500 });
  const order = storeOrder();
  await callHub("/pos/ordermake", order);

  await page.goto("/deliveries");
  await page.getByRole("tab", { name: zh("queue.timed_out") }).click();
  const row = page.getByRole("row").filter({ hasText: order.dispatchNO });
  // The short deadline passes after a few failed attempts; the page refreshes itself.
  await expect(row).toContainText("HTTP 500", { timeout: 25_000 });
  await expect(row).toContainText(zh("queue.timed_out"));
  await expect(row).toContainText("/pos/ordermake");
  await page.screenshot({ path: screenshot("deliveries-timed-out") });

  await answerOn("oms", "/pos/ordermake", null);
  await row.getByRole("checkbox").check();
  await expect(page.getByText(zh("delivery.actOnChecked", { n: 1 }))).toBeVisible();
  await page.getByRole("button", { name: zh("actions.retryNow"), exact: true }).click();
  const dialog = page.getByRole("dialog", { name: zh("actions.retryNow") });
  await expect(dialog).toContainText(zh("actions.willChange", { n: 1, action: zh("actions.retryNow") }));
  await dialog.getByLabel(zh("actions.note")).fill("OMS 已恢复");
  await dialog.getByRole("button", { name: zh("actions.confirm", { n: 1 }) }).click();
  await expect(page.getByTestId("retry-outcome")).toHaveText(zh("feedback.outcome.delivered", { n: 1 }), { timeout: 15_000 });

  await page.getByRole("tab", { name: zh("queue.delivered") }).click();
  await expect(row).toContainText(zh("queue.delivered"), { timeout: 15_000 });

  await row.getByRole("link", { name: order.dispatchNO }).click();
  const timeline = page.locator("section").filter({ has: page.getByRole("heading", { name: zh("notice.timeline") }) });
  const group = timeline.getByTestId("timeline-group").filter({ hasText: "/pos/ordermake" });
  await group.getByRole("button", { expanded: false }).click();
  const action = group.getByText(zh("actionKind.retry_now")).locator("..");
  await expect(action).toContainText(users.operator.email);
  await expect(action).toContainText(`${zh("queue.timed_out")} → ${zh("queue.queued")}`);
  await expect(action).toContainText("OMS 已恢复");
  await expect(group.getByTestId("timeline-delivery")).toContainText(zh("timeline.outbound", { side: sideName("oms", "zh-CN") }));
  await expect(group.getByTestId("timeline-delivery")).toContainText(zh("queue.delivered"));
});
