import { expect, test } from "@/e2e/support/test";
import { hubUrl, screenshot, storageState } from "@/e2e/support/env";
import { answerOn } from "@/e2e/support/fake-partners";
import { zh } from "@/e2e/support/i18n";
import { callHub } from "@/e2e/support/partner-api";
import { createUserAsAdmin } from "@/e2e/support/users";
import { storeOrder } from "@/test/partner/messages";

// Every action says how it ended (issue #12): a bulk retry reports what was
// delivered and what still fails, and why; role changes and disabling ask first.

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;

test.describe("operator", () => {
  test.use({ storageState: storageState("operator") });
  test.afterEach(() => answerOn("oms", "/pos/ordermake", null));

  test("a bulk retry shows its progress, then how many are still failing and why, then how many were delivered", async ({ page }) => {
    await answerOn("oms", "/pos/ordermake", { kind: "status", status: 500 });
    const orders = [storeOrder(), storeOrder()];
    for (const order of orders) await callHub("/pos/ordermake", order);

    await page.goto("/deliveries");
    await page.getByRole("tab", { name: zh("queue.timed_out") }).click();
    const rows = orders.map((order) => page.getByRole("row").filter({ hasText: order.dispatchNO }));
    for (const row of rows) await expect(row).toContainText(zh("queue.timed_out"), { timeout: 25_000 });
    // The list says how many there are and how many pages, from the tab's own count.
    await expect(page.getByTestId("pager-summary")).toHaveText(/^共 [\d,]+\+? 条，[\d,]+\+? 页$/);

    // The OMS now refuses them: the retry reaches it, and the outcome says so with its msg.
    await answerOn("oms", "/pos/ordermake", { kind: "refuse", msg: "门店编码不存在" });
    for (const row of rows) await row.getByRole("checkbox").check();
    await page.getByRole("button", { name: zh("actions.retryNow"), exact: true }).first().click();
    await page.getByRole("dialog", { name: zh("actions.retryNow") }).getByRole("button", { name: zh("actions.confirm", { n: 2 }) }).click();
    const outcome = page.getByRole("status", { name: zh("feedback.retryTitle") });
    await expect(outcome.getByTestId("retry-outcome")).toHaveText(zh("feedback.outcome.failing", { n: 2 }), { timeout: 20_000 });
    await expect(outcome).toContainText(zh("feedback.reason", { reason: "门店编码不存在", n: 2 }));
    await expect(page.locator("[data-sonner-toast]").filter({ hasText: zh("feedback.outcome.failing", { n: 2 }) })).toBeVisible();

    await answerOn("oms", "/pos/ordermake", null);
    await page.getByRole("tab", { name: zh("queue.rejected") }).click();
    for (const row of rows) await row.getByRole("checkbox").check();
    await page.getByRole("button", { name: zh("actions.retryNow"), exact: true }).first().click();
    await page.getByRole("dialog", { name: zh("actions.retryNow") }).getByRole("button", { name: zh("actions.confirm", { n: 2 }) }).click();
    // The first retry's toast of the same words may still be showing: either says what this retry did.
    await expect(page.locator("[data-sonner-toast]").filter({ hasText: zh("feedback.retryStarted", { n: 2 }) }).first()).toBeVisible();
    await expect(outcome.getByTestId("retry-outcome")).toHaveText(zh("feedback.outcome.delivered", { n: 2 }), { timeout: 20_000 });
  });
});

test.describe("operator editing a payload", () => {
  test.use({ storageState: storageState("operator") });
  test.afterEach(() => answerOn("oms", "/pos/ordermake", null));

  test("edit & resend shows the changed field before / after with the changed character marked, JSON errors by line and column, and the notice marks the edit", async ({ page }) => {
    await answerOn("oms", "/pos/ordermake", { kind: "refuse", msg: "会员不存在" });
    const order = storeOrder({ memberCode: "M000123" });
    await callHub("/pos/ordermake", order);
    await page.goto("/deliveries?queue=rejected");
    const row = page.getByRole("row").filter({ hasText: order.dispatchNO });
    await expect(row).toContainText("会员不存在", { timeout: 20_000 });
    await row.getByRole("cell").nth(1).click();
    await page.getByRole("button", { name: zh("actions.editAndResend") }).click();
    const editor = page.getByLabel(zh("actions.payload"));
    const original = await editor.inputValue();

    await editor.fill('{\n  "memberCode": "M1",\n}');
    await expect(page.getByRole("alert").filter({ hasText: zh("diff.jsonError", { line: 3, column: 1, what: zh("diff.jsonFound", { found: "}" }) }) })).toBeVisible();
    await expect(page.getByRole("button", { name: zh("actions.editAndResend") }).last()).toBeDisabled();

    // A letter O typed for a zero: the diff marks exactly that character.
    await editor.fill(original.replace('"M000123"', '"M0O0123"'));
    const diff = page.getByTestId("payload-diff");
    await expect(diff.getByRole("columnheader", { name: zh("diff.before") })).toBeVisible();
    await expect(diff.getByRole("columnheader", { name: zh("diff.after") })).toBeVisible();
    const field = diff.locator('tr[data-path="memberCode"]');
    await expect(field.getByRole("cell").nth(1)).toHaveText('"M000123"');
    await expect(field.getByRole("cell").nth(2)).toHaveText('"M0O0123"');
    await expect(field.getByRole("cell").nth(2).locator("mark")).toHaveText("O");
    await expect(diff.locator("tbody tr")).toHaveCount(1);

    await answerOn("oms", "/pos/ordermake", null);
    await page.getByRole("button", { name: zh("actions.editAndResend") }).last().click();
    // The delivery's own actions go once it is delivered; the outcome toast stays.
    await expect(page.locator("[data-sonner-toast]").filter({ hasText: zh("feedback.outcome.delivered", { n: 1 }) })).toBeVisible({ timeout: 20_000 });

    await page.goto("/deliveries?queue=delivered");
    await page.getByRole("row").filter({ hasText: order.dispatchNO }).getByRole("link", { name: order.dispatchNO }).click();
    const timeline = page.locator("section").filter({ has: page.getByRole("heading", { name: zh("notice.timeline") }) });
    // Marked on the call's one line; the audit with its diff inside the opened group.
    const group = timeline.getByTestId("timeline-group").filter({ hasText: "/pos/ordermake" });
    await expect(group).toContainText(zh("delivery.edited", { n: 2 }));
    await group.getByRole("button", { expanded: false }).click();
    const audit = group.getByText(zh("actionKind.edit_and_resend")).locator("..");
    await expect(audit.locator('tr[data-path="memberCode"] mark').last()).toHaveText("O");
    await page.screenshot({ path: screenshot("notice-edited-and-resent"), fullPage: true });
  });
});

test.describe("admin", () => {
  test("a role change and disabling a user ask first; cancelling changes nothing, confirming says what changed", async ({ browser }) => {
    const email = `role-${unique()}@e2e.test`;
    const page = await createUserAsAdmin(browser, { email, password: "role-change-password" });
    const row = page.getByRole("row").filter({ hasText: email });
    const role = row.getByLabel(`${zh("admin.role")} ${email}`);

    await role.selectOption("operator");
    const ask = page.getByRole("dialog", { name: zh("feedback.roleConfirmTitle", { email }) });
    await expect(ask).toContainText(zh("feedback.roleConfirmBody", { from: zh("role.viewer"), to: zh("role.operator") }));
    await ask.getByRole("button", { name: zh("feedback.cancel") }).click();
    await expect(ask).toBeHidden();
    await expect(role).toHaveValue("viewer");

    await role.selectOption("operator");
    await ask.getByRole("button", { name: zh("feedback.roleConfirm") }).click();
    await expect(page.locator("[data-sonner-toast]").filter({ hasText: zh("feedback.roleChanged", { email, role: zh("role.operator") }) })).toBeVisible();
    await page.reload();
    await expect(role).toHaveValue("operator");

    await row.getByRole("button", { name: zh("admin.disable") }).click();
    const disable = page.getByRole("dialog", { name: zh("feedback.disableTitle", { email }) });
    await expect(disable).toContainText(zh("feedback.disableBody"));
    await disable.getByRole("button", { name: zh("admin.disable") }).click();
    await expect(row).toContainText(zh("admin.disabled"));
    await expect(page.locator("[data-sonner-toast]").filter({ hasText: zh("feedback.disabled", { email }) })).toBeVisible();
    await page.context().close();
  });

  test("a new partner token is copied to the clipboard with one click", async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageState("admin"), baseURL: hubUrl });
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const page = await context.newPage();
    await page.goto("/admin/tokens");
    const label = `copy-${unique()}`;
    await page.getByLabel(zh("admin.label")).fill(label);
    await page.getByRole("button", { name: zh("admin.create") }).click();
    const token = (await page.getByTestId("new-token").textContent())!.trim();
    expect(token.length).toBeGreaterThan(20);
    await page.getByRole("button", { name: zh("feedback.copy") }).click();
    await expect(page.locator("[data-sonner-toast]").filter({ hasText: zh("feedback.copied") })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await context.close();
  });
});
