import { afterAll, beforeAll, expect, test } from "vitest";
import { getHubDatabase } from "@/db/client";
import { startAlertWorker, type AlertWorker } from "@/server/alerts/alert-worker";
import { createChannel } from "@/server/alerts/channels";
import { useDeliveryHarness, waitForDeliveryState } from "@/test/delivery/harness";
import { startFakeRobots, type FakeRobots } from "@/test/fakes/fake-robots";
import { callPartner } from "@/test/partner-client";
import { storeOrder } from "@/test/partner/messages";

const hub = useDeliveryHarness({ DELIVERY_DEADLINE_SECONDS: 2 });
let robots: FakeRobots;
let alerts: AlertWorker;

beforeAll(async () => {
  robots = await startFakeRobots();
  await createChannel(hub.database.db, { kind: "wecom", name: "ops", settings: { url: `${robots.url}/wecom?key=k` }, rules: ["delivery_timed_out"] }, "admin@hub.test");
  // No timed rounds at all: only the problem's NOTIFY can make this alert go out.
  alerts = await startAlertWorker({ db: hub.database.db, listen: (await getHubDatabase()).listen, intervalMs: 0 });
});
afterAll(async () => {
  await alerts?.stop();
  await robots?.close();
});

test("a problem opening wakes the alert loop: the message goes out without waiting for the next round", async () => {
  await hub.oms.setBehaviour({ kind: "down" });
  const order = storeOrder();
  expect((await callPartner("/pos/ordermake", order)).body.success).toBe(true);
  await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "timed_out");
  const [call] = await robots.waitForCalls(1, 15_000);
  expect(call!.json.markdown.content).toContain("【告警】投递到 OMS（电商） 失败：/pos/ordermake");
});
