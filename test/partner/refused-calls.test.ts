import { eq, inArray } from "drizzle-orm";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import { exchanges, refusedCallTallies } from "@/db/schema/exchanges";
import { notices } from "@/db/schema/notices";
import { setConfigForTests } from "@/server/config";
import { getNoticeStory } from "@/server/dashboard/get-notice-story";
import { listNoticeTimeline, noticeTimelineSchema } from "@/server/dashboard/list-notice-timeline";
import { listInboundExchanges } from "@/server/dashboard/list-exchanges";
import { createPartnerToken } from "@/server/partner/authenticate";
import { endpointFor } from "@/server/contract/endpoints";
import { partnerRoute, refusedCalls } from "@/server/partner/partner-route";
import { useTestDatabase } from "../database";
import { callPartner, POS_TOKEN } from "../partner-client";
import { countRows } from "./hub-state";
import { storeOrder, uniqueCode } from "./messages";

// SPEC §10: a caller without a token cannot write into a notice's story, and a
// flood of refused calls costs a bounded number of rows.

const database = useTestDatabase();

beforeAll(() => {
  setConfigForTests({ REFUSED_CALLS_LOGGED_PER_ADDRESS: 20, REFUSED_CALLS_LOGGED_PER_MINUTE: 600 });
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * All the refusals in one test fall within one minute, whatever the wall clock
 * does; each test names its own minute, so no test starts on a budget another spent.
 */
function freezeMinute(minute: number) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(Date.UTC(2026, 10, 30, 20, minute, 0)));
}

const fromAddress = (address: string) => ({ headers: { "x-forwarded-for": address } });

test("a tokenless call naming a real notice is logged, but never on that notice's story", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const forged = { dispatchNO: order.dispatchNO, reason: "<b>forged</b>".repeat(2000) };
  const refused = await callPartner("/pos/refuse", forged, { token: null, ...fromAddress("203.0.113.50") });
  expect(refused.status).toBe(401);

  const [notice] = await database.db.select().from(notices).where(eq(notices.dispatchNo, order.dispatchNO));
  expect(notice!.status).toBe("pending");
  const story = await getNoticeStory(database.db, notice!.id);
  const timeline = await listNoticeTimeline(database.db, noticeTimelineSchema.parse({ id: notice!.id }));
  expect(JSON.stringify({ story, timeline })).not.toContain("forged");
  expect(timeline.groups.map((group) => group.call?.outcome)).toEqual(["accepted"]);

  // Ops still find it in the exchange log by the dispatchNO it named, with its address, body cut at 4 KiB.
  const log = await listInboundExchanges(database.db, { dispatchNo: order.dispatchNO, outcome: "unauthorized" });
  expect(log.rows).toHaveLength(1);
  expect(log.rows[0]).toMatchObject({ noticeId: null, dispatchNo: null, claimedDispatchNo: order.dispatchNO, clientAddress: "203.0.113.50", requestTruncated: true });
  expect(log.rows[0]!.requestBytes).toBeLessThanOrEqual(4096);
});

test("10 000 tokenless calls from one address: 20 logged, the rest one counter row", async () => {
  freezeMinute(1);
  const address = "198.51.100.23";
  const body = JSON.stringify(storeOrder({ address: "x".repeat(8_000) }));
  const before = await countRows(database.db, exchanges);
  for (let batch = 0; batch < 100; batch += 1) {
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => callPartner("/pos/ordermake", null, { token: null, rawBody: body, ...fromAddress(address) })),
    );
    expect(answers.every((answer) => answer.status === 401)).toBe(true);
  }
  expect((await countRows(database.db, exchanges)) - before).toBe(20);
  await refusedCalls.flush();
  const tallies = await database.db.select().from(refusedCallTallies).where(eq(refusedCallTallies.clientAddress, address));
  expect(tallies.map((row) => [row.calls, row.lastStatus, row.lastPath])).toEqual([[9_980, 401, "/pos/ordermake"]]);
  const logged = await database.db.select().from(exchanges).where(eq(exchanges.clientAddress, address));
  expect(logged.every((row) => row.requestBody.length <= 4096 && row.requestTruncated)).toBe(true);
}, 120_000);

test("a flood claiming a new address on every call stays bounded too", async () => {
  freezeMinute(2);
  const exchangesBefore = await countRows(database.db, exchanges);
  const talliesBefore = await countRows(database.db, refusedCallTallies);
  for (let batch = 0; batch < 30; batch += 1) {
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        callPartner("/pos/ordermake", { dispatchNO: uniqueCode("DN") }, { token: "guess", ...fromAddress(`10.${batch}.${i}.1`) }),
      ),
    );
  }
  // 600 logged a minute over all addresses; 1 000 addresses tallied a minute, the rest in one "*" row.
  expect((await countRows(database.db, exchanges)) - exchangesBefore).toBe(600);
  await refusedCalls.flush();
  expect((await countRows(database.db, refusedCallTallies)) - talliesBefore).toBe(1_001);
  const [overflow] = await database.db.select({ calls: refusedCallTallies.calls }).from(refusedCallTallies).where(eq(refusedCallTallies.clientAddress, "*"));
  expect(overflow!.calls).toBe(3_000 - 600 - 1_000);
}, 120_000);

/** A call whose body arrives only when the test says so: it stays in flight until then. */
function heldCall(token: string) {
  let finish!: () => void;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(JSON.stringify(storeOrder()).slice(0, 10)));
      finish = () => {
        controller.enqueue(new TextEncoder().encode("}"));
        controller.close();
      };
    },
  });
  const request = new Request("http://hub.test/pos/ordermake", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body,
    duplex: "half",
  } as RequestInit);
  return { answer: partnerRoute(endpointFor("/pos/ordermake"))(request), finish: () => finish() };
}

test("one token's calls past PARTNER_CALLS_IN_FLIGHT_PER_TOKEN get 503 + Retry-After at once; other tokens are not held up", async () => {
  setConfigForTests({ PARTNER_CALLS_IN_FLIGHT_PER_TOKEN: 4 });
  try {
    const held = Array.from({ length: 4 }, () => heldCall(POS_TOKEN));
    const turnedAway = await Promise.all(Array.from({ length: 6 }, () => heldCall(POS_TOKEN).answer));
    expect(turnedAway.map((response) => [response.status, response.headers.get("retry-after")])).toEqual(
      Array.from({ length: 6 }, () => [503, "1"]),
    );
    expect(await turnedAway[0]!.json()).toMatchObject({ success: false });

    const { token } = await createPartnerToken(database.db, { side: "pos", label: "another store POS", createdBy: "admin@hub.test" });
    expect(await callPartner("/pos/ordermake", storeOrder(), { token })).toEqual({ status: 200, body: { success: true } });

    for (const call of held) call.finish();
    // The held bodies were cut JSON: each is answered (400) and frees its slot.
    expect((await Promise.all(held.map((call) => call.answer))).map((response) => response.status)).toEqual([400, 400, 400, 400]);
    expect((await callPartner("/pos/ordermake", storeOrder())).status).toBe(200);
  } finally {
    setConfigForTests({ PARTNER_CALLS_IN_FLIGHT_PER_TOKEN: 32 });
  }
});

test("no refused call of this file was linked to a notice", async () => {
  const rows = await database.db.select().from(exchanges).where(inArray(exchanges.outcome, ["unauthorized", "invalid"]));
  expect(rows.length).toBeGreaterThan(600);
  expect(rows.filter((row) => row.dispatchNo !== null || row.noticeId !== null)).toEqual([]);
});
