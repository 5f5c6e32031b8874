import { screenshot, storageState } from "@/e2e/support/env";
import { answerOn } from "@/e2e/support/fake-partners";
import { zh } from "@/e2e/support/i18n";
import { callHub } from "@/e2e/support/partner-api";
import { splitStoreOrder } from "@/e2e/support/scenarios";
import { expect, test } from "@/e2e/support/test";
import { noticeShipped, omsReceive, waybillChange } from "@/test/partner/messages";

// Issue 12: a six-step order's flat timeline was ~1 900 px with a red cancel on
// every open delivery. Now: one line per call with what it led to, opened on demand.
test.use({ storageState: storageState("operator") });

test.afterEach(() => answerOn("pos", "/oms/delivery/waybillchange", null));

test("a six-call order's timeline: collapsed groups, one opened with its delivery and actions, 'only problems' keeps the failing one", async ({ page }) => {
  await answerOn("pos", "/oms/delivery/waybillchange", { kind: "refuse", msg: "运单不存在" });
  const { order, transfers } = await splitStoreOrder();
  const first = transfers[0].packages[0]!;
  await callHub("/oms/delivery/waybillchange", waybillChange(first.waybillCode));
  await callHub("/oms/delivery/notice", noticeShipped(order.dispatchNO, [...transfers]));
  await callHub("/oms/receive", omsReceive(order.dispatchNO, first.items[0]!, transfers[0].transferCode));

  await page.goto(`/search?q=${order.dispatchNO}`);
  await page.getByRole("link", { name: order.dispatchNO }).first().click();
  await expect(page).toHaveURL(/\/notices\/\d+$/);
  const timeline = page.locator("section").filter({ has: page.getByRole("heading", { name: zh("notice.timeline") }) });
  const groups = timeline.getByTestId("timeline-group");
  await expect(groups).toHaveCount(6);
  const failing = groups.filter({ hasText: "/oms/delivery/waybillchange" });
  // The refusal arrives live; the group's one line says so.
  await expect(failing).toContainText(zh("queue.rejected"), { timeout: 15_000 });
  await expect(groups.filter({ hasText: "/pos/ordermake" })).toContainText(zh("queue.delivered"), { timeout: 15_000 });

  // Collapsed: no delivery detail, no action button in any group.
  await expect(timeline.getByTestId("timeline-delivery")).toHaveCount(0);
  await expect(groups.getByRole("button", { name: zh("actions.cancel") })).toHaveCount(0);
  const box = await timeline.boundingBox();
  expect(box!.height, "six collapsed groups fit on one screen").toBeLessThan(800);
  await page.screenshot({ path: screenshot("notice-timeline-grouped"), fullPage: true });

  await failing.getByRole("button", { expanded: false }).click();
  await expect(failing.getByTestId("timeline-delivery")).toContainText("运单不存在");
  // The group's actions once, for its delivery; the other groups still show none.
  await expect(failing.getByRole("button", { name: zh("actions.retryNow"), exact: true })).toHaveCount(1);
  await expect(groups.getByRole("button", { name: zh("actions.cancel") })).toHaveCount(1);

  const onlyProblems = timeline.getByRole("button", { name: zh("timeline.onlyProblems") });
  await onlyProblems.click();
  await expect(onlyProblems).toHaveAttribute("aria-pressed", "true");
  await expect(groups).toHaveCount(1);
  await expect(groups).toContainText("/oms/delivery/waybillchange");
  await onlyProblems.click();
  await expect(groups).toHaveCount(6);
});
