import { expect, test } from "vitest";
import { callPartner } from "@/test/partner-client";
import { storeOrder } from "@/test/partner/messages";
import { attemptsOf, useDeliveryHarness, waitForDeliveryState } from "./harness";

// Kind 1 of issue 8: answers read too literally. What the other side meant is
// what the hub records — over HTTP, against a fake OMS answering in real bytes.

const hub = useDeliveryHarness();
// 门店编码不存在 ("no such shop code") in GBK.
const NO_SUCH_SHOP_GBK = [0xc3, 0xc5, 0xb5, 0xea, 0xb1, 0xe0, 0xc2, 0xeb, 0xb2, 0xbb, 0xb4, 0xe6, 0xd4, 0xda];

async function deliverWithAnswer(body: Uint8Array | string, contentType: string) {
  const order = storeOrder();
  hub.oms.setBehaviourFor("/pos/ordermake", { kind: "status", status: 200, body, headers: { "content-type": contentType } });
  expect((await callPartner("/pos/ordermake", order)).body).toEqual({ success: true });
  return order;
}

test("an answer starting with a BOM is a success, delivered on the first attempt, not re-sent until timed out", async () => {
  const order = await deliverWithAnswer(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"success":true}')]), "application/json");
  const delivered = await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "delivered");
  expect(await attemptsOf(hub.database.db, delivered.id)).toMatchObject([{ attemptNo: 1, outcome: "delivered" }]);
});

test('"success":"true" as a string is a success', async () => {
  const order = await deliverWithAnswer('{"success":"True"}', "application/json");
  await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "delivered");
});

test("a GBK refusal is a rejection whose msg ops read in Chinese, in the delivery and its attempt", async () => {
  const body = Buffer.concat([Buffer.from('{"success":"false","msg":"'), Buffer.from(NO_SUCH_SHOP_GBK), Buffer.from('"}')]);
  const order = await deliverWithAnswer(body, "application/json; charset=GBK");
  const rejected = await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "rejected");
  expect(rejected.answerMsg).toBe("门店编码不存在");
  const [attempt] = await attemptsOf(hub.database.db, rejected.id);
  expect(attempt!.responseBody).toBe('{"success":"false","msg":"门店编码不存在"}');
});

test("an empty 200 is no answer: retried with the same delivery id", async () => {
  const order = await deliverWithAnswer("", "text/plain");
  await hub.oms.waitFor((call) => call.path === "/pos/ordermake" && call.attempt === 2 && call.body.includes(order.dispatchNO));
  const [first, second] = hub.oms.received.filter((call) => call.body.includes(order.dispatchNO));
  expect(second!.deliveryId).toBe(first!.deliveryId);
});
