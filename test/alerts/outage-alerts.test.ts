import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { alertSends } from "@/db/schema/alerts";
import { problems } from "@/db/schema/problems";
import { startAlertWorker, type AlertWorker } from "@/server/alerts/alert-worker";
import { createChannel } from "@/server/alerts/channels";
import { getConfig, setConfigForTests } from "@/server/config";
import { retryDeliveriesNow } from "@/server/delivery/manual-actions";
import { useDeliveryHarness, waitForDeliveryState } from "@/test/delivery/harness";
import { startFakeRobots, startSmtpSink, type FakeRobots, type SmtpSink } from "@/test/fakes/fake-robots";
import { callPartner } from "@/test/partner-client";
import { storeOrder } from "@/test/partner/messages";
import { unusedPort } from "@/test/fakes/unused-port";

// A two-second retry window: a refused delivery times out within the test.
const hub = useDeliveryHarness({ DELIVERY_DEADLINE_SECONDS: 2 });
let robots: FakeRobots;
let smtp: SmtpSink;
let alerts: AlertWorker;
let clock = new Date();

beforeAll(async () => {
  robots = await startFakeRobots();
  smtp = await startSmtpSink();
  // Every channel kind, provisioned from the environment as a team deploying by configuration would.
  setConfigForTests({
    ALERT_WECOM_WEBHOOK_URL: `${robots.url}/wecom?key=k`,
    ALERT_DINGTALK_WEBHOOK_URL: `${robots.url}/dingtalk?access_token=t`,
    ALERT_DINGTALK_SECRET: robots.secrets.dingtalk,
    ALERT_FEISHU_WEBHOOK_URL: `${robots.url}/feishu`,
    ALERT_FEISHU_SECRET: robots.secrets.feishu,
    ALERT_WEBHOOK_URL: `${robots.url}/webhook`,
    SMTP_URL: smtp.url,
    ALERT_EMAIL_FROM: "hub@shop.test",
    ALERT_EMAIL_TO: "ops@shop.test",
    HUB_PUBLIC_URL: "https://hub.shop.test",
  });
  alerts = await startAlertWorker({ db: hub.database.db, now: () => clock, intervalMs: 0, config: getConfig });
});
afterAll(async () => {
  await alerts?.stop();
  await robots?.close();
  await smtp?.close();
});

const later = (minutes: number) => new Date(clock.getTime() + minutes * 60_000);
const chatText = () =>
  robots.calls.map((call) =>
    call.robot === "feishu" ? JSON.stringify(call.json.content) : call.robot === "webhook" ? call.json.text : call.robot === "dingtalk" ? call.json.markdown.text : call.json.markdown.content,
  );

test("an OMS outage: one problem, one message per channel, a reminder, and one recovery message after the group retry", async () => {
  const { db } = hub.database;
  // A channel that is down must not hold back the others, nor the hub.
  await createChannel(db, { kind: "wecom", name: "dead robot", settings: { url: `http://127.0.0.1:${await unusedPort()}/send?key=k` }, rules: ["delivery_timed_out"] }, "admin@hub.test");

  await hub.oms.setBehaviour({ kind: "down" });
  const orders = [storeOrder(), storeOrder(), storeOrder()];
  for (const order of orders) expect((await callPartner("/pos/ordermake", order)).body.success).toBe(true);
  for (const order of orders) await waitForDeliveryState(db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "timed_out");
  const [problem, ...others] = await db.select().from(problems).orderBy(asc(problems.id));
  expect(others).toEqual([]);

  clock = new Date();
  const first = await alerts.runOnce();
  expect(first).toEqual({ sent: 5, failed: 0, retried: 1 });
  expect(robots.calls.map((call) => call.robot).sort()).toEqual(["dingtalk", "feishu", "webhook", "wecom"]);
  for (const text of chatText()) {
    expect(text).toContain("【告警】投递到 OMS（电商） 失败：/pos/ordermake（连接被拒绝）");
    expect(text).toContain("未处理投递：3 条");
    expect(text).toContain("ECONNREFUSED");
    expect(text).toContain(`https://hub.shop.test/problems/${problem!.id}`);
  }
  expect(smtp.mails).toHaveLength(1);
  expect(smtp.mails[0]!.subject).toBe("【告警】投递到 OMS（电商） 失败：/pos/ordermake（连接被拒绝）");
  expect(smtp.mails[0]!.text).toContain(`https://hub.shop.test/problems/${problem!.id}`);

  // Still open a minute later: nothing new. The dead robot's message waits for its back-off.
  clock = later(1);
  expect(await alerts.runOnce()).toEqual({ sent: 0, failed: 0, retried: 1 });
  expect(robots.calls).toHaveLength(4);
  const [dead] = await db.select().from(alertSends).where(eq(alertSends.state, "pending"));
  expect(dead!.lastError).toMatch(/ECONNREFUSED/);

  // An hour on, one reminder per channel.
  clock = later(60);
  await alerts.runOnce();
  expect(robots.calls).toHaveLength(8);
  expect(smtp.mails).toHaveLength(2);
  expect(chatText().slice(4).every((text) => text.includes("【提醒·仍未解决】") && text.includes("已持续"))).toBe(true);

  // The OMS is back; one action on the group clears it and the problem resolves.
  await hub.oms.setBehaviour({ kind: "success" });
  expect((await retryDeliveriesNow(db, { selection: { filter: { problemId: problem!.id } }, actor: "ops@hub.test" })).changed).toBe(3);
  for (const order of orders) await waitForDeliveryState(db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "delivered");
  const [resolved] = await db.select().from(problems).where(eq(problems.id, problem!.id));
  expect(resolved!.state).toBe("resolved");

  clock = later(5);
  await alerts.runOnce();
  expect(robots.calls).toHaveLength(12);
  expect(smtp.mails).toHaveLength(3);
  expect(chatText().slice(8).every((text) => text.includes("【已恢复】") && text.includes("共持续"))).toBe(true);
  // The recovery says how things stand now: nothing left open (not the 3 of the last failing round).
  expect(chatText().slice(8).every((text) => text.includes("未处理投递：0 条") && !text.includes("未处理投递：3 条"))).toBe(true);
  expect(smtp.mails[2]!.text).toContain("未处理投递：0 条");
  expect(smtp.mails[2]!.subject).toMatch(/^【已恢复】/);

  // Nothing more once it is over.
  clock = later(120);
  await alerts.runOnce();
  expect(robots.calls).toHaveLength(12);
});
