import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { liveSettings } from "@/db/schema/live-settings";
import { HubError } from "@/server/errors";
import { listLiveSettings, listSettingsAudit, liveConfig, saveLiveSetting } from "@/server/settings/live-settings";
import { startFakeCounterpart, type FakeCounterpart } from "@/test/fakes/fake-counterpart";
import { callPartner } from "@/test/partner-client";
import { storeOrder } from "@/test/partner/messages";
import { HUB_TO_OMS_TOKEN, useDeliveryHarness } from "@/test/delivery/harness";

// Issue #12: an admin changes a delivery target and its token in the dashboard;
// the next delivery goes there, without a restart, and the token is never stored or audited in clear.

const hub = useDeliveryHarness();
const NEW_TOKEN = "brand-new-oms-token-0123456789";
let moved: FakeCounterpart;

beforeAll(async () => {
  moved = await startFakeCounterpart({ name: "oms", token: NEW_TOKEN });
});
afterAll(async () => {
  await moved?.close();
});

test("a target and token saved by an admin are used by the next delivery; going back to default uses the environment's again", async () => {
  const db = hub.database.db;
  await saveLiveSetting(db, { key: "OMS_BASE_URL", value: `${moved.url}/`, actor: "admin@example.com" });
  await saveLiveSetting(db, { key: "OMS_TOKEN", value: NEW_TOKEN, actor: "admin@example.com" });
  expect(liveConfig().OMS_BASE_URL).toBe(moved.url);

  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const call = await moved.waitFor((c) => c.body.includes(order.dispatchNO), 10_000);
  expect(call.authorized).toBe(true);
  expect(hub.oms.received.some((c) => c.body.includes(order.dispatchNO))).toBe(false);

  // Stored sealed, shown and audited masked: the token itself appears nowhere the dashboard reads.
  const [row] = await db.select().from(liveSettings).where(eq(liveSettings.key, "OMS_TOKEN"));
  expect(row!.value).not.toContain(NEW_TOKEN);
  const shown = await listLiveSettings(db);
  expect(JSON.stringify(shown)).not.toContain(NEW_TOKEN);
  expect(shown.find((entry) => entry.key === "OMS_TOKEN")).toMatchObject({ source: "stored", environmentValue: expect.not.stringContaining(HUB_TO_OMS_TOKEN) });
  const audit = await listSettingsAudit(db);
  expect(JSON.stringify(audit)).not.toContain(NEW_TOKEN);
  expect(audit[0]).toMatchObject({ key: "OMS_TOKEN", actor: "admin@example.com", before: null });
  expect(audit[1]).toMatchObject({ key: "OMS_BASE_URL", before: null, after: moved.url });

  await saveLiveSetting(db, { key: "OMS_BASE_URL", value: null, actor: "admin@example.com" });
  await saveLiveSetting(db, { key: "OMS_TOKEN", value: null, actor: "admin@example.com" });
  expect((await listSettingsAudit(db))[1]).toMatchObject({ key: "OMS_BASE_URL", before: moved.url, after: null });
  const again = storeOrder();
  await callPartner("/pos/ordermake", again);
  await hub.oms.waitFor((c) => c.body.includes(again.dispatchNO), 10_000);
});

test("values are checked: targets must be http(s) URLs, numbers whole and within bounds", async () => {
  const db = hub.database.db;
  const refused = (key: Parameters<typeof saveLiveSetting>[1]["key"], value: string) =>
    expect(saveLiveSetting(db, { key, value, actor: "admin@example.com" })).rejects.toThrow(HubError);
  await refused("POS_BASE_URL", "ftp://127.0.0.1:21");
  await refused("POS_BASE_URL", "127.0.0.1:4102");
  await refused("DELIVERY_TIMEOUT_MS", "50");
  await refused("DELIVERY_CONCURRENCY", "1.5");
  await saveLiveSetting(db, { key: "DELIVERY_CONCURRENCY", value: " 4 ", actor: "admin@example.com" });
  expect(liveConfig().DELIVERY_CONCURRENCY).toBe(4);
  await saveLiveSetting(db, { key: "DELIVERY_CONCURRENCY", value: null, actor: "admin@example.com" });
});
