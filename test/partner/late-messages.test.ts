import { expect, test } from "vitest";
import { getNoticeStory } from "@/server/dashboard/get-notice-story";
import { useTestDatabase } from "../database";
import { callPartner } from "../partner-client";
import { deliveriesOf, noticeState } from "./hub-state";
import { checkout, noticeShipped, packageShipped, piece, shipFromStoreOrder, SKU_A, storeOrder, transfer, uniqueCode, waybillChange } from "./messages";

// Kind 5 of issue 8 (SPEC §4's two new rows): messages after a final state, or
// naming a superseded waybill, stay on their notice — accepted, forwarded, flagged.

const database = useTestDatabase();
const accepted = { status: 200, body: { success: true } };

test("goods shipped after the notice was declared oversold: accepted, recorded, forwarded and flagged on that notice", async () => {
  const order = storeOrder();
  expect(await callPartner("/pos/ordermake", order)).toEqual(accepted);
  expect(await callPartner("/oms/delivery/notice", noticeShipped(order.dispatchNO, []))).toEqual(accepted);
  expect((await noticeState(database.db, order.dispatchNO))!.notice.status).toBe("oversold");

  const late = packageShipped(order.dispatchNO, transfer("T9", "WH09", [{ waybillCode: uniqueCode("WB"), items: [piece(SKU_A)] }]));
  expect(await callPartner("/oms/delivery/package", late)).toEqual(accepted);

  const state = await noticeState(database.db, order.dispatchNO);
  expect(state!.pieces).toHaveLength(1);
  expect(state!.anomalies.map((anomaly) => [anomaly.kind, anomaly.data])).toEqual([
    ["goods_after_final", { status: "oversold", movement: "oms/delivery/package" }],
  ]);
  expect((await deliveriesOf(database.db, order.dispatchNO)).map((delivery) => delivery.path)).toContain("/oms/delivery/package");
  const story = await getNoticeStory(database.db, state!.notice.id);
  expect(story.anomalies.map((anomaly) => anomaly.kind)).toEqual(["goods_after_final"]);
});

test("a second checkout after the store already shipped is flagged; one on a pending notice is not", async () => {
  const order = shipFromStoreOrder();
  expect(await callPartner("/oms/pushorder", order)).toEqual(accepted);
  expect(await callPartner("/pos/checkout", checkout(order.dispatchNO, [{ waybillCode: uniqueCode("SF"), sns: [uniqueCode("SN")] }]))).toEqual(accepted);
  expect((await noticeState(database.db, order.dispatchNO))!.anomalies).toEqual([]);
  expect(await callPartner("/pos/checkout", checkout(order.dispatchNO, [{ waybillCode: uniqueCode("SF"), sns: [uniqueCode("SN")] }]))).toEqual(accepted);
  expect((await noticeState(database.db, order.dispatchNO))!.anomalies.map((anomaly) => anomaly.kind)).toContain("goods_after_final");
});

test.each(["/oms/delivery/waybillchange", "/pos/delivery/waybillchange"] as const)(
  "%s naming a waybill already changed away: tied to its notice, shown on its page, flagged, not applied",
  async (path) => {
    const fromOms = path.startsWith("/oms");
    const order = fromOms ? storeOrder() : shipFromStoreOrder();
    const first = uniqueCode("SF");
    if (fromOms) {
      expect(await callPartner("/pos/ordermake", order)).toEqual(accepted);
      const shipped = transfer("T1", "WH01", [{ waybillCode: first, items: [piece(SKU_A)] }]);
      expect(await callPartner("/oms/delivery/package", packageShipped(order.dispatchNO, shipped))).toEqual(accepted);
    } else {
      expect(await callPartner("/oms/pushorder", order)).toEqual(accepted);
      expect(await callPartner("/pos/checkout", checkout(order.dispatchNO, [{ waybillCode: first, sns: [uniqueCode("SN")] }]))).toEqual(accepted);
    }
    const body = (target: string, next: string) => (fromOms ? waybillChange(target, next) : { dispatchNO: order.dispatchNO, ...waybillChange(target, next) });
    const second = uniqueCode("JD");
    expect(await callPartner(path, body(first, second))).toEqual(accepted);
    // The late one: still names the first waybill.
    const late = uniqueCode("YT");
    expect(await callPartner(path, body(first, late))).toEqual(accepted);

    const state = await noticeState(database.db, order.dispatchNO);
    expect(state!.packages.map((pkg) => pkg.waybillCode)).toEqual([second]);
    expect(state!.waybillChanges.map((change) => [change.oldWaybillCode, change.newWaybillCode, change.packageId === null])).toEqual([
      [first, second, false],
      [first, late, true],
    ]);
    expect(state!.anomalies.map((anomaly) => [anomaly.kind, anomaly.data])).toEqual([
      ["stale_waybill_change", { targetbillCode: first, currentWaybill: second, requested: late }],
    ]);
    const story = await getNoticeStory(database.db, state!.notice.id);
    expect(story.unmatchedChanges).toMatchObject([{ oldWaybillCode: first, newWaybillCode: late, stale: true }]);
  },
);
