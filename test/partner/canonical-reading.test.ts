import { gzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { exchanges } from "@/db/schema/exchanges";
import { listInboundExchanges } from "@/server/dashboard/list-exchanges";
import { listNoticeTimeline, noticeTimelineSchema } from "@/server/dashboard/list-notice-timeline";
import { createPartnerToken } from "@/server/partner/authenticate";
import { useDeliveryHarness, waitForDeliveryState } from "@/test/delivery/harness";
import { callPartner } from "@/test/partner-client";
import { countRows, deliveriesOf, exchangesWithBody, noticeState } from "@/test/partner/hub-state";
import { shipFromStoreOrder, storeOrder, uniqueCode } from "@/test/partner/messages";

// Kinds 2–4 of issue 8 over HTTP: what real partners' bytes become — what is
// stored, what the other side receives, what the dashboard shows.

const hub = useDeliveryHarness();
const accepted = { status: 200, body: { success: true } };

// 楼楼 in GBK: C2 A5 C2 A5, which read as UTF-8 is "¥¥" — valid, and wrong.
const LOU_LOU_GBK = [0xc2, 0xa5, 0xc2, 0xa5];
const gbkBody = (json: string, placeholder: string, gbk: number[]) => {
  const [before, after] = json.split(placeholder);
  return Buffer.concat([Buffer.from(before!, "utf8"), Buffer.from(gbk), Buffer.from(after!, "utf8")]);
};

async function inboundLogRow(dispatchNo: string, outcome?: "accepted" | "duplicate" | "invalid") {
  const { rows } = await listInboundExchanges(hub.database.db, { dispatchNo, outcome });
  return rows[0]!;
}

// The whole body must be GBK: keep everything else ASCII, the same bytes in both.
const asciiAddress = { province: "ZJ", city: "HZ", county: "XH", address: "100 Wensan Rd" };

test("kind 2: a GBK body is stored and forwarded as the name the store typed, and the log says it was decoded", async () => {
  const order = shipFromStoreOrder({ receiver: "@@", ...asciiAddress });
  const body = gbkBody(JSON.stringify(order), "@@", LOU_LOU_GBK);
  const answer = await callPartner("/oms/pushorder", null, { rawBody: body, headers: { "content-type": "application/json; charset=GBK" } });
  expect(answer, answer.body.msg).toEqual(accepted);

  expect((await noticeState(hub.database.db, order.dispatchNO))!.notice.receiver).toBe("楼楼");
  const received = await hub.pos.waitFor((call) => call.path === "/oms/pushorder" && (call.json as { dispatchNO?: string } | undefined)?.dispatchNO === order.dispatchNO);
  expect(received.json).toEqual({ ...order, receiver: "楼楼" });
  const logged = await inboundLogRow(order.dispatchNO);
  expect(logged.requestPreview).toBe(JSON.stringify({ ...order, receiver: "楼楼" }));
  expect(logged.normalisation).toEqual([{ kind: "charset", detail: "GBK → UTF-8" }]);
});

test("kind 2: a gzip body is read, not refused as bad UTF-8; the other side gets plain JSON", async () => {
  const order = storeOrder({ receiver: "林晓燕" });
  const text = JSON.stringify(order);
  const answer = await callPartner("/pos/ordermake", null, { rawBody: gzipSync(text), headers: { "content-encoding": "gzip" } });
  expect(answer).toEqual(accepted);
  const received = await hub.oms.waitFor((call) => call.path === "/pos/ordermake" && (call.json as { dispatchNO?: string } | undefined)?.dispatchNO === order.dispatchNO);
  expect(received.body).toBe(text);
  expect((await inboundLogRow(order.dispatchNO)).normalisation).toEqual([{ kind: "encoding", detail: "gzip" }]);
});

test.each([
  ["an unknown charset", { "content-type": "application/json; charset=big5" }, 415, /charset big5/],
  ["an unknown encoding", { "content-encoding": "compress" }, 415, /content encoding compress/],
  ["GBK bytes declared as nothing (UTF-8)", {}, 400, /not valid UTF-8/],
])("kind 2: %s is a 4xx naming it, logged, nothing stored", async (_, headers, status, named) => {
  const order = shipFromStoreOrder({ receiver: "@@" });
  const body = gbkBody(JSON.stringify(order), "@@", [0xc1, 0xd6]);
  const answer = await callPartner("/oms/pushorder", null, { rawBody: body, headers });
  expect(answer.status).toBe(status);
  expect(answer.body.msg).toMatch(named);
  expect(await noticeState(hub.database.db, order.dispatchNO)).toBeNull();
  // Refused: logged with the dispatchNO it named kept apart, never on the notice (SPEC §10).
  const [logged] = await hub.database.db.select().from(exchanges).where(eq(exchanges.claimedDispatchNo, order.dispatchNO));
  expect(logged).toMatchObject({ outcome: "invalid", responseStatus: status, dispatchNo: null });
  expect(logged!.requestBody).toContain(order.dispatchNO);
});

test("kind 3: a shop named twice is refused naming the key, even for a token allowed one of the two", async () => {
  const { token } = await createPartnerToken(hub.database.db, {
    side: "pos",
    label: "S001 only",
    createdBy: "admin@example.com",
    shopCodes: ["S001"],
  });
  const order = storeOrder({ shopCode: "S009" });
  // JSON.parse keeps the last copy (S001, allowed); a first-copy parser on the OMS would act for S009.
  const text = JSON.stringify(order).replace('"shopCode":"S009"', '"shopCode":"S009","shopCode":"S001"');
  const answer = await callPartner("/pos/ordermake", null, { rawBody: text, token });
  expect(answer).toEqual({ status: 400, body: { success: false, msg: expect.stringMatching(/^参数错误 shopCode: 键重复出现/) } });
  expect(await noticeState(hub.database.db, order.dispatchNO)).toBeNull();
  expect(await deliveriesOf(hub.database.db, order.dispatchNO)).toEqual([]);
  expect(await exchangesWithBody(hub.database.db, text)).toMatchObject([{ outcome: "invalid", responseStatus: 400 }]);
});

test("kind 3: a serial twice deep in a package is refused naming its path", async () => {
  const order = storeOrder();
  expect(await callPartner("/pos/ordermake", order)).toEqual(accepted);
  const text = `{"dispatchNO":"${order.dispatchNO}","transferCode":"T1","packages":[{"waybillCode":"SF1","items":[{"product":"G1001","color":"C01","size":"M","sn":"A","sn":"B"}]}]}`;
  const answer = await callPartner("/oms/delivery/package", null, { rawBody: text });
  expect(answer.status).toBe(400);
  expect(answer.body.msg).toMatch(/^参数错误 packages\[0\]\.items\[0\]\.sn: /);
  expect((await noticeState(hub.database.db, order.dispatchNO))!.pieces).toEqual([]);
});

test("kind 4: a retry whose dispatchNO gained spaces and whose timestamp / sign changed is an exact repeat, not 发货通知单号重复", async () => {
  const order = { ...storeOrder(), timestamp: "2026-11-30 10:00:00", sign: "a1" };
  const first = JSON.stringify(order);
  expect(await callPartner("/pos/ordermake", null, { rawBody: first })).toEqual(accepted);
  const retry = { ...order, dispatchNO: `${order.dispatchNO}\u3000`, shopCode: ` ${order.shopCode}`, timestamp: "2026-11-30 10:00:05", sign: "b2" };
  expect(await callPartner("/pos/ordermake", retry)).toEqual(accepted);

  expect((await hub.database.db.select().from(exchanges).where(eq(exchanges.dispatchNo, order.dispatchNO))).map((row) => row.outcome).sort()).toEqual([
    "accepted",
    "duplicate",
  ]);
  const [delivery] = await deliveriesOf(hub.database.db, order.dispatchNO);
  await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "delivered");
  // Reading changed nothing in the first call: the OMS got its bytes, envelope included.
  expect(delivery!.payload).toBe(first);
  expect(hub.oms.received.filter((call) => (call.json as { dispatchNO?: string } | undefined)?.dispatchNO === order.dispatchNO).map((call) => call.body)).toEqual([first]);
  // A different business content under the same number is still 重复.
  expect((await callPartner("/pos/ordermake", { ...order, receiver: "李四" })).body).toEqual({ success: false, msg: "发货通知单号重复" });
});

test("kind 4: a follow-up with a padded code is matched and forwarded trimmed, its envelope as sent; the log shows the change", async () => {
  const order = storeOrder();
  expect(await callPartner("/pos/ordermake", order)).toEqual(accepted);
  const waybill = uniqueCode("SF");
  const shipped = {
    dispatchNO: ` ${order.dispatchNO} `,
    transferCode: "T1\u3000",
    packages: [{ waybillCode: waybill, express: " ", items: [{ product: "G1001", color: "C01", size: "M", sn: "SN-1 " }] }],
    ext: { batch: " 7 " },
  };
  expect(await callPartner("/oms/delivery/package", shipped)).toEqual(accepted);

  const state = await noticeState(hub.database.db, order.dispatchNO);
  expect(state!.pieces.map((piece) => piece.sn)).toEqual(["SN-1"]);
  expect(state!.transfers.map((transfer) => transfer.transferCode)).toEqual(["T1"]);
  const received = await hub.pos.waitFor((call) => call.path === "/oms/delivery/package" && (call.json as { dispatchNO?: string } | undefined)?.dispatchNO === order.dispatchNO);
  expect(JSON.parse(received.body)).toEqual({
    dispatchNO: order.dispatchNO,
    transferCode: "T1",
    packages: [{ waybillCode: waybill, items: [{ product: "G1001", color: "C01", size: "M", sn: "SN-1" }] }],
    ext: { batch: " 7 " },
  });
  const { groups } = await listNoticeTimeline(hub.database.db, noticeTimelineSchema.parse({ id: state!.notice.id }));
  const logged = groups.find((group) => group.call?.path === "/oms/delivery/package")?.call;
  expect(logged?.normalisation).toEqual([
    { kind: "trimmed", path: "dispatchNO", from: ` ${order.dispatchNO} `, to: order.dispatchNO },
    { kind: "trimmed", path: "transferCode", from: "T1\u3000", to: "T1" },
    { kind: "emptied", path: "packages[0].express", from: " " },
    { kind: "trimmed", path: "packages[0].items[0].sn", from: "SN-1 ", to: "SN-1" },
  ]);
  // As sent in the log: the partner's own text.
  expect(logged?.requestBody).toBe(JSON.stringify(shipped));
});

test("kind 4: a required code that is blank after trimming is a 400 naming it", async () => {
  const order = storeOrder({ dispatchNO: "\u3000 " });
  const answer = await callPartner("/pos/ordermake", order);
  expect(answer.status).toBe(400);
  expect(answer.body.msg).toMatch(/dispatchNO: /);
  expect(await countRows(hub.database.db, exchanges, eq(exchanges.requestBody, JSON.stringify(order)))).toBe(1);
});
