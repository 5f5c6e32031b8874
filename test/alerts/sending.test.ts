import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { alertChannels, alertConditions, alertRules, alertSends } from "@/db/schema/alerts";
import { deliveries } from "@/db/schema/deliveries";
import { composeAlertMessage } from "@/server/alerts/alert-message";
import { alertSendCount } from "@/server/alerts/alert-metrics";
import { SEND_BACKOFF_MS, MAX_SEND_ATTEMPTS } from "@/server/alerts/alert-sender";
import { startAlertWorker, type AlertWorker } from "@/server/alerts/alert-worker";
import { createChannel } from "@/server/alerts/channels";
import { getConfig } from "@/server/config";
import { useTestDatabase } from "@/test/database";
import { startFakeRobots, type FakeRobots } from "@/test/fakes/fake-robots";

const database = useTestDatabase();
let robots: FakeRobots;
let clock = new Date("2026-11-30T06:00:00.000Z");
const workers: AlertWorker[] = [];
const config = () => ({ ...getConfig(), ALERT_WECOM_WEBHOOK_URL: undefined });

beforeAll(async () => {
  robots = await startFakeRobots();
});
beforeEach(async () => {
  robots.calls.length = 0;
  robots.failWith = null;
  await database.db.delete(alertSends);
  await database.db.delete(alertConditions);
  await database.db.delete(alertChannels);
  await database.db.delete(deliveries);
});
afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await robots?.close();
});

async function worker(id: string, timeoutMs?: number) {
  const withTimeout = timeoutMs ? () => ({ ...config(), ALERT_SEND_TIMEOUT_MS: timeoutMs }) : config;
  const started = await startAlertWorker({ db: database.db, now: () => clock, intervalMs: 0, config: withTimeout, readProblems: () => Promise.resolve([]), id });
  workers.push(started);
  return started;
}

const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

async function queueMessages(channelId: number, n: number) {
  const message = composeAlertMessage({ kind: "opened", details: { title: "t", facts: [], linkPath: "/" }, openedAt: clock, now: clock });
  await database.db.insert(alertSends).values(
    Array.from({ length: n }, (_, i) => ({ channelId, kind: "opened" as const, title: `message ${i}`, message: { ...message, title: `message ${i}` }, nextAttemptAt: clock })),
  );
}

const wecom = (name: string, ratePerMinute = 20) =>
  createChannel(database.db, { kind: "wecom", name, settings: { url: `${robots.url}/wecom?key=${name}` }, rules: ["backlog_age"], ratePerMinute }, "admin@hub.test");

test("a channel gets at most its rate a minute; the rest waits, none is lost", async () => {
  const { id } = await wecom("slow", 2);
  await queueMessages(id, 5);
  const alerts = await worker("a");
  expect((await alerts.runOnce()).sent).toBe(2);
  later(30_000);
  expect((await alerts.runOnce()).sent).toBe(0);
  later(31_000);
  expect((await alerts.runOnce()).sent).toBe(2);
  later(61_000);
  expect((await alerts.runOnce()).sent).toBe(1);
  // Sent concurrently within a round: compare as a set, each exactly once.
  expect(robots.calls.map((call) => call.json.markdown.content.split("\n")[0]).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `**message ${i}**`));
});

test("a failing channel is retried with back-off, then given up and logged as failed", async () => {
  const { id } = await wecom("flaky");
  await queueMessages(id, 1);
  const alerts = await worker("b");
  const before = { retried: await alertSendCount("wecom", "retried"), failed: await alertSendCount("wecom", "failed"), sent: await alertSendCount("wecom", "sent") };
  robots.failWith = 502;
  expect(await alerts.runOnce()).toEqual({ sent: 0, failed: 0, retried: 1 });
  later(SEND_BACKOFF_MS[0]! - 1000);
  expect(await alerts.runOnce()).toEqual({ sent: 0, failed: 0, retried: 0 });
  for (const wait of SEND_BACKOFF_MS) {
    later(wait);
    await alerts.runOnce();
  }
  const [send] = await database.db.select().from(alertSends);
  expect(send).toMatchObject({ state: "failed", attempts: MAX_SEND_ATTEMPTS, lastStatus: 502 });
  expect(send!.lastError).toMatch(/^HTTP 502/);
  expect(await alertSendCount("wecom", "retried")).toBe(before.retried + MAX_SEND_ATTEMPTS - 1);
  expect(await alertSendCount("wecom", "failed")).toBe(before.failed + 1);

  // A message that fails once and then gets through is sent, once.
  robots.failWith = 502;
  await queueMessages(id, 1);
  await alerts.runOnce();
  robots.failWith = null;
  later(SEND_BACKOFF_MS[0]!);
  expect(await alerts.runOnce()).toEqual({ sent: 1, failed: 0, retried: 0 });
  expect(robots.calls).toHaveLength(1);
  expect(await alertSendCount("wecom", "sent")).toBe(before.sent + 1);
});

test("a channel that never answers costs one time limit, is logged as such, and the other channels' messages still go", async () => {
  const hanging = createServer(() => {}); // accepts, never answers
  await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
  try {
    const silent = await createChannel(
      database.db,
      { kind: "webhook", name: "silent", settings: { url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook` }, rules: ["backlog_age"] },
      "admin@hub.test",
    );
    const fine = await wecom("fine");
    await queueMessages(silent.id, 1);
    await queueMessages(fine.id, 1);
    const alerts = await worker("c", 300);
    expect(await alerts.runOnce()).toEqual({ sent: 1, failed: 0, retried: 1 });
    expect(robots.calls).toHaveLength(1);
    const [late] = await database.db.select().from(alertSends).where(eq(alertSends.channelId, silent.id));
    expect(late).toMatchObject({ state: "pending", lastError: "300 ms 内无应答 (timed out after 300 ms)" });
  } finally {
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
  }
});

test("two instances on one database send each alert once", async () => {
  await database.db.insert(alertRules).values({ rule: "backlog_age", enabled: true, params: { minutes: 10 } }).onConflictDoNothing();
  const channels = await Promise.all([wecom("one"), wecom("two")]);
  for (const channel of channels) await queueMessages(channel.id, 15);
  // And a condition both find at once: a delivery to the OMS waiting 40 minutes.
  await database.db.insert(deliveries).values({
    deliveryId: randomUUID(),
    exchangeId: randomUUID(),
    target: "oms",
    path: "/pos/ordermake",
    payload: "{}",
    createdAt: new Date(clock.getTime() - 40 * 60_000),
    deadlineAt: new Date(clock.getTime() + 3600_000),
  });
  const [a, b] = await Promise.all([worker("instance-a"), worker("instance-b")]);
  for (let round = 0; round < 3; round++) await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);

  const texts = robots.calls.map((call) => `${call.url} ${call.json.markdown.content.split("\n")[0]}`);
  expect(new Set(texts).size).toBe(texts.length);
  expect(robots.calls).toHaveLength(32); // 15 + 15 queued, one backlog alert per channel
  expect(texts.filter((text) => text.includes("消息积压"))).toHaveLength(2);
  expect(await database.db.select().from(alertConditions).where(eq(alertConditions.rule, "backlog_age"))).toHaveLength(1);
});
