import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { deliveries } from "@/db/schema/deliveries";
import { exchanges, idempotencyKeys } from "@/db/schema/exchanges";
import { notices } from "@/db/schema/notices";
import { setConfigForTests } from "@/server/config";
import { checkReadiness } from "@/server/health";
import { createHubServer } from "@/server/http-server";
import { hubMetrics } from "@/server/metrics";
import type { InFlightSlots } from "@/server/partner/in-flight";
import { WARM_UP_HEADER, warmUp, warmUpCaller, warmUpCalls } from "@/server/partner/warm-up";
import { useTestDatabase } from "@/test/database";
import { partnerHttpHandler } from "@/test/partner-http-handler";

// npm start's warm-up (issue 13, fresh start): the instance sends itself store
// orders through the real server and routes before it says ready; readiness is
// false until that is done, and the warm-up leaves nothing behind.

const database = useTestDatabase();
let server: ReturnType<typeof createHubServer>;
let url: string;

beforeAll(async () => {
  // No delivery worker in this process: readiness then depends on the database and the warm-up only.
  // Not a load test: a late event loop on a busy machine must not shed the caller of the second test.
  setConfigForTests({ WORKER: "off", PARTNER_SHED_EVENT_LOOP_DELAY_MS: 60_000 });
  const handle = partnerHttpHandler();
  server = createHubServer((req, res) => void handle(req, res), { HTTP_HEADERS_TIMEOUT_MS: 10_000, HTTP_REQUEST_TIMEOUT_MS: 30_000, TRUSTED_PROXY_HOPS: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const rowCounts = async () => ({
  notices: (await database.db.$count(notices)),
  exchanges: (await database.db.$count(exchanges)),
  idempotencyKeys: (await database.db.$count(idempotencyKeys)),
  deliveries: (await database.db.$count(deliveries)),
});

const callsCounted = async () => (await hubMetrics().callsIn.get()).values.reduce((sum, value) => sum + value.value, 0);

test("readiness is false until the warm-up is done; every warm-up call goes the whole way and nothing is stored, counted or queued", async () => {
  const metricsBefore = await callsCounted();
  const warming = warmUp(url, { calls: 30, concurrency: 3 });
  const during = await checkReadiness();
  expect(during.ok).toBe(false);
  expect(during.checks.find((check) => check.name === "warm-up")).toMatchObject({ ok: false });

  // Accepted (200 {"success":true}) inside a transaction that was rolled back: the store order's whole path ran.
  expect(await warming).toEqual({ answered: { "200": 30 } });
  const after = await checkReadiness();
  expect(after.checks.find((check) => check.name === "warm-up")).toEqual({ name: "warm-up", ok: true });
  expect(after.ok).toBe(true);

  expect(await rowCounts()).toEqual({ notices: 0, exchanges: 0, idempotencyKeys: 0, deliveries: 0 });
  expect(await callsCounted()).toBe(metricsBefore);
});

test("WARM_UP_CALLS when set, else 300 on PostgreSQL and 100 on the embedded database", () => {
  expect(warmUpCalls({ WARM_UP_CALLS: 7, DATABASE_URL: undefined })).toBe(7);
  expect(warmUpCalls({ WARM_UP_CALLS: 0, DATABASE_URL: "postgres://db/hub" })).toBe(0);
  expect(warmUpCalls({ WARM_UP_CALLS: undefined, DATABASE_URL: "postgres://db/hub" })).toBe(300);
  expect(warmUpCalls({ WARM_UP_CALLS: undefined, DATABASE_URL: undefined })).toBe(100);
});

test("the warm-up header without this process's secret gives a caller nothing: no token, 401", async () => {
  const answer = await fetch(`${url}/pos/ordermake`, {
    method: "POST",
    headers: { "content-type": "application/json", [WARM_UP_HEADER]: "0".repeat(64) },
    body: JSON.stringify({ dispatchNO: "DN-WARM-1" }),
  });
  expect(answer.status).toBe(401);
});

test("a warm-up call turned away at its in-flight cap is not counted either (the call mode is decided once, before any answer)", async () => {
  // Every slot of the warm-up caller's label taken: each warm-up call gets the token cap's 503.
  const slots = (globalThis as unknown as { hubInFlight: InFlightSlots }).hubInFlight;
  setConfigForTests({ PARTNER_CALLS_IN_FLIGHT_PER_TOKEN: 1 });
  const hold = slots.tryAcquire(warmUpCaller("pos").label);
  expect(hold).not.toBeNull();
  const metricsBefore = await callsCounted();
  const rowsBefore = await rowCounts();
  try {
    expect(await warmUp(url, { calls: 3, concurrency: 1 })).toEqual({ answered: { "503": 3 } });
  } finally {
    hold!();
    setConfigForTests({ PARTNER_CALLS_IN_FLIGHT_PER_TOKEN: 32 });
  }
  expect(await callsCounted()).toBe(metricsBefore);
  expect(await rowCounts()).toEqual(rowsBefore);
});
