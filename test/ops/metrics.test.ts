import { sql } from "drizzle-orm";
import { afterEach, expect, test } from "vitest";
import { GET } from "@/app/metrics/route";
import { setConfigForTests } from "@/server/config";
import { BUSINESS_MSG } from "@/server/notices/rules";
import { callPartner } from "@/test/partner-client";
import { shipFromStoreOrder, storeOrder } from "@/test/partner/messages";
import { attemptsOf, deliveriesOf, useDeliveryHarness, waitForDeliveryState } from "@/test/delivery/harness";

const hub = useDeliveryHarness();
const PATH = "/pos/ordermake";

afterEach(() => {
  setConfigForTests({ METRICS_TOKEN: undefined, METRICS: "on" });
  hub.oms.setBehaviourFor(PATH, null);
});

async function scrape(headers: Record<string, string> = {}) {
  const response = await GET(new Request("http://hub.test/metrics", { headers }));
  return { status: response.status, text: await response.text() };
}

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/** The value of one series, by name and exact labels (0 when absent). */
function valueOf(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.keys(labels).length === Object.keys(found).length && Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return 0;
}

test("calls in, their durations, attempts and accept → delivered move by what was sent", async () => {
  const before = (await scrape()).text;
  const accepted = [storeOrder(), storeOrder()];
  for (const order of accepted) expect((await callPartner(PATH, order)).status).toBe(200);
  expect((await callPartner(PATH, storeOrder(), { token: "wrong" })).status).toBe(401);
  expect((await callPartner(PATH, null, { rawBody: "{not json" })).status).toBe(400);
  for (const order of accepted) await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: PATH }, "delivered");
  // The attempt's outcome is counted once written; the state above is that write.
  await expect.poll(async () => valueOf((await scrape()).text, "hub_delivery_attempts_total", { side: "oms", outcome: "delivered" })).toBe(2);

  const { status, text } = await scrape();
  expect(status).toBe(200);
  const moved = (name: string, labels: Record<string, string>) => valueOf(text, name, labels) - valueOf(before, name, labels);
  expect(moved("hub_partner_calls_total", { side: "pos", path: PATH, outcome: "accepted" })).toBe(2);
  expect(moved("hub_partner_calls_total", { side: "pos", path: PATH, outcome: "unauthorized" })).toBe(1);
  expect(moved("hub_partner_calls_total", { side: "pos", path: PATH, outcome: "invalid" })).toBe(1);
  expect(moved("hub_partner_call_duration_seconds_count", { side: "pos", path: PATH })).toBe(4);
  expect(moved("hub_partner_call_duration_seconds_bucket", { side: "pos", path: PATH, le: "+Inf" })).toBe(4);
  expect(moved("hub_partner_call_duration_seconds_sum", { side: "pos", path: PATH })).toBeGreaterThan(0);
  expect(moved("hub_delivery_accept_to_delivered_seconds_count", { side: "oms" })).toBe(2);
  expect(valueOf(text, "hub_deliveries", { state: "pending", side: "oms" })).toBe(0);
  expect(valueOf(text, "hub_oldest_undelivered_age_seconds", { side: "oms" })).toBe(0);
  if (hub.database.url) {
    // PostgreSQL: this process's pool, from pg_stat_activity.
    expect(valueOf(text, "hub_db_pool_connections", { state: "max" })).toBe(10);
    expect(valueOf(text, "hub_db_pool_connections", { state: "open" })).toBeGreaterThanOrEqual(1);
    // The worker's LISTEN (its wake-ups) holds a connection beside the pool: counted apart, never as the pool's.
    expect(valueOf(text, "hub_db_pool_connections", { state: "listener" })).toBe(1);
  }
  // Default process metrics, and never a dispatchNO in a label.
  expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  for (const order of accepted) expect(text).not.toContain(order.dispatchNO);
});

test("an undelivered message shows as open and ageing, its failed attempts counted", async () => {
  hub.oms.setBehaviourFor(PATH, { kind: "status", status: 502 });
  const order = storeOrder();
  expect((await callPartner(PATH, order)).status).toBe(200);
  const [delivery] = await deliveriesOf(hub.database.db, order.dispatchNO);
  await expect.poll(async () => (await attemptsOf(hub.database.db, delivery!.id)).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);

  const { text } = await scrape();
  expect(valueOf(text, "hub_deliveries", { state: "pending", side: "oms" })).toBe(1);
  expect(valueOf(text, "hub_oldest_undelivered_age_seconds", { side: "oms" })).toBeGreaterThan(0);
  expect(valueOf(text, "hub_delivery_attempts_total", { side: "oms", outcome: "failed" })).toBeGreaterThanOrEqual(1);
  expect(valueOf(text, "hub_deliveries_estimated_total")).toBeGreaterThanOrEqual(0);
});

test("a void relayed while its caller waits counts its attempt like the worker's: delivered, or a refusal as rejected", async () => {
  // The POS side: no other test here sends to it, so its counters move by this test alone.
  const attempts = async (outcome: string) => valueOf((await scrape()).text, "hub_delivery_attempts_total", { side: "pos", outcome });
  const deliveredBefore = await attempts("delivered");
  const rejectedBefore = await attempts("rejected");
  const [agreed, refused] = [shipFromStoreOrder(), shipFromStoreOrder()];
  for (const order of [agreed, refused]) {
    expect((await callPartner("/oms/pushorder", order)).status).toBe(200);
    await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/oms/pushorder" }, "delivered");
  }
  // The worker counts an attempt once written, just after the delivery's state.
  await expect.poll(() => attempts("delivered")).toBe(deliveredBefore + 2);

  expect((await callPartner("/oms/orderremove", { dispatchNO: agreed.dispatchNO, shopCode: agreed.shopCode })).body).toEqual({ success: true });
  hub.pos.setBehaviourFor("/oms/orderremove", { kind: "refuse", msg: BUSINESS_MSG.storeCheckedOut });
  expect((await callPartner("/oms/orderremove", { dispatchNO: refused.dispatchNO, shopCode: refused.shopCode })).body).toMatchObject({ success: false });
  hub.pos.setBehaviourFor("/oms/orderremove", null);
  // Both voids went out during their calls, the worker sent neither.
  for (const order of [agreed, refused]) {
    const [, relayed] = await deliveriesOf(hub.database.db, order.dispatchNO);
    expect(await attemptsOf(hub.database.db, relayed!.id)).toEqual([expect.objectContaining({ worker: "void-relay" })]);
  }
  expect(await attempts("delivered")).toBe(deliveredBefore + 3);
  expect(await attempts("rejected")).toBe(rejectedBefore + 1);
});

test("the pool's connections never read more than its maximum: every session of the process is the pool's or the listener's", async () => {
  if (!hub.database.url) return; // PGlite: one in-process session, no pool
  // Fill the pool: more queries at once than it has connections (each waiting query opens one, up to the maximum).
  await Promise.all(Array.from({ length: 15 }, () => hub.database.db.execute(sql`select 1`)));
  const { text } = await scrape();
  const max = valueOf(text, "hub_db_pool_connections", { state: "max" });
  expect(valueOf(text, "hub_db_pool_connections", { state: "open" })).toBe(max);
  expect(valueOf(text, "hub_db_pool_connections", { state: "listener" })).toBe(1);
  // What PostgreSQL sees from this process: the pool's sessions plus the listener, nothing unaccounted for.
  const [sessions] = rowsOf<{ n: number }>(
    await hub.database.db.execute(sql`select count(*)::int as n from pg_stat_activity where application_name like ${`dispatch-hub %:${process.pid}%`}`),
  );
  expect(sessions!.n).toBe(max + 1);
});

test("before the outbox's first ANALYZE (PostgreSQL has no estimate yet) its size is counted, not read as 0", async () => {
  const [estimate] = rowsOf<{ reltuples: number }>(
    await hub.database.db.execute(sql`select reltuples::float8 as reltuples from pg_class where oid = 'deliveries'::regclass`),
  );
  // A young database: autovacuum has not analysed the table (it would after 50 changed rows).
  expect(estimate!.reltuples).toBe(-1);
  const [kept] = rowsOf<{ n: number }>(await hub.database.db.execute(sql`select count(*)::int as n from deliveries`));
  expect(kept!.n).toBeGreaterThan(0);
  expect(valueOf((await scrape()).text, "hub_deliveries_estimated_total")).toBe(kept!.n);
});

test("with METRICS_TOKEN set, only its bearer gets the metrics", async () => {
  setConfigForTests({ METRICS_TOKEN: "scrape-token" });
  expect((await scrape()).status).toBe(401);
  expect((await scrape({ authorization: "Bearer wrong-token" })).status).toBe(401);
  const allowed = await scrape({ authorization: "Bearer scrape-token" });
  expect(allowed.status).toBe(200);
  expect(allowed.text).toContain("hub_partner_calls_total");
  expect(allowed.text).not.toContain("scrape-token");
});

test("with METRICS=off, /metrics answers 404 and calls and attempts leave every counter where it was", async () => {
  const before = (await scrape()).text;
  setConfigForTests({ METRICS: "off" });
  expect((await scrape()).status).toBe(404);
  const order = storeOrder();
  expect((await callPartner(PATH, order)).status).toBe(200);
  expect((await callPartner(PATH, storeOrder(), { token: "wrong" })).status).toBe(401);
  await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: PATH }, "delivered");
  expect((await scrape()).status).toBe(404);

  setConfigForTests({ METRICS: "on" });
  const after = (await scrape()).text;
  for (const [name, labels] of [
    ["hub_partner_calls_total", { side: "pos", path: PATH, outcome: "accepted" }],
    ["hub_partner_calls_total", { side: "pos", path: PATH, outcome: "unauthorized" }],
    ["hub_partner_call_duration_seconds_count", { side: "pos", path: PATH }],
    ["hub_delivery_attempts_total", { side: "oms", outcome: "delivered" }],
    ["hub_delivery_accept_to_delivered_seconds_count", { side: "oms" }],
  ] as const) {
    expect({ name, ...labels, value: valueOf(after, name, labels) }).toEqual({ name, ...labels, value: valueOf(before, name, labels) });
  }
});
