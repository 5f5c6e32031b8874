import { expect, test } from "@/e2e/support/test";
import { hubUrl, robotUrl, screenshot, storageState } from "@/e2e/support/env";
import { answerOn, robotCalls, robotSecrets } from "@/e2e/support/fake-partners";
import { zh } from "@/e2e/support/i18n";
import { callHub } from "@/e2e/support/partner-api";
import { storeOrder } from "@/test/partner/messages";

test.use({ storageState: storageState("admin") });

test.afterEach(() => answerOn("oms", "/pos/ordermake", null));

test("an admin sets up a DingTalk robot, tests it (a wrong secret shows DingTalk's error), and an OMS outage's alert reaches the robots", async ({ page }) => {
  await page.goto("/admin/alerts");
  // The WeCom robot the hub was started with (ALERT_WECOM_WEBHOOK_URL): read-only, its key masked.
  const fromEnv = page.getByRole("row").filter({ hasText: zh("alerts.sourceEnv") });
  await expect(fromEnv).toContainText(zh("alerts.kind.wecom"));
  await expect(fromEnv).toContainText("key=e2e-…-key");
  await expect(fromEnv.getByRole("button", { name: zh("alerts.edit") })).toHaveCount(0);

  const form = page.getByTestId("channel-new-form");
  await form.getByLabel(zh("alerts.kind")).selectOption("dingtalk");
  await form.getByLabel(zh("alerts.name")).fill("运维钉钉群");
  await form.getByLabel(zh("alerts.field.url")).fill(`${robotUrl}/dingtalk?access_token=e2e-token-0001`);
  await form.getByLabel(zh("alerts.field.secret")).fill(robotSecrets.dingtalk);
  await form.getByRole("button", { name: zh("admin.create") }).click();
  await expect(page.getByText(zh("alerts.savedSecretsNote"))).toBeVisible();

  const row = page.getByRole("row").filter({ hasText: "运维钉钉群" });
  await expect(row).toContainText("secret: SECe…cret");
  await expect(page.getByText(robotSecrets.dingtalk)).toHaveCount(0);
  await row.getByRole("button", { name: zh("alerts.test") }).click();
  await expect(row.getByTestId("test-result")).toHaveText(zh("alerts.testOk"));
  await expect.poll(async () => (await robotCalls()).some((call) => call.robot === "dingtalk" && call.json.markdown.title.startsWith("【测试】"))).toBe(true);

  // A wrong secret: DingTalk answers HTTP 200 with errcode 310000, and the admin sees it.
  await row.getByRole("button", { name: zh("alerts.edit") }).click();
  const edit = page.getByTestId("channel-edit-form");
  await edit.getByLabel(zh("alerts.field.secret")).fill("SECnot-the-secret");
  await edit.getByRole("button", { name: zh("alerts.save") }).click();
  await row.getByRole("button", { name: zh("alerts.test") }).click();
  await expect(row.getByTestId("test-result")).toContainText("errcode 310000");
  await page.screenshot({ path: screenshot("admin-alert-channels") });

  // Put the right secret back, then the OMS fails: the alert reaches both robots with a link to the problem.
  await row.getByRole("button", { name: zh("alerts.edit") }).click();
  await edit.getByLabel(zh("alerts.field.secret")).fill(robotSecrets.dingtalk);
  await edit.getByRole("button", { name: zh("alerts.save") }).click();
  await answerOn("oms", "/pos/ordermake", { kind: "status", status: 500 });
  await callHub("/pos/ordermake", storeOrder());
  const alertOn = async (robot: string) =>
    (await robotCalls()).find((call) => call.robot === robot && JSON.stringify(call.json).includes("【告警】") && JSON.stringify(call.json).includes("/pos/ordermake"));
  await expect.poll(() => alertOn("wecom"), { timeout: 30_000 }).toBeTruthy();
  await expect.poll(() => alertOn("dingtalk"), { timeout: 10_000 }).toBeTruthy();
  const wecom = (await alertOn("wecom"))!.json.markdown.content as string;
  expect(wecom).toContain("投递到 OMS（电商） 失败：/pos/ordermake");
  expect(wecom).toContain("HTTP 500");
  expect(wecom).toMatch(new RegExp(`\\(${hubUrl}/problems/\\d+\\)`));

  await page.goto("/admin/alerts/sends");
  const sent = page.getByTestId("alert-send").filter({ hasText: "/pos/ordermake" });
  await expect(sent.first()).toContainText(zh("alerts.sendState.sent"));
  await expect(page.getByTestId("alert-send").filter({ hasText: zh("alerts.sendKind.test") }).filter({ hasText: "errcode 310000" })).toHaveCount(1);
  await page.screenshot({ path: screenshot("admin-alert-sends") });
});

test("rules: an admin switches one on and tunes it; a wrong threshold is refused", async ({ page, browserErrors }) => {
  // The refused save is a 400 answer, which the browser logs as a failed request.
  browserErrors.allow(/400 \(Bad Request\) \(.*\/api\/trpc\/alerts\.updateRule/);
  await page.goto("/admin/alerts/rules");
  const silence = page.getByTestId("rule-silence");
  await silence.getByRole("checkbox").check();
  await silence.locator('input[name="minutes"]').fill("45");
  await silence.getByRole("button", { name: zh("alerts.save") }).click();
  await expect(silence).toContainText("admin@e2e.test");
  await expect(silence.locator('input[name="minutes"]')).toHaveValue("45");

  const refusals = page.getByTestId("rule-inbound_refusals");
  await refusals.locator('input[name="percent"]').fill("0");
  await refusals.getByRole("button", { name: zh("alerts.save") }).click();
  await expect(page.getByText(/percent/)).toBeVisible();
});
