import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { deliveries } from "@/db/schema/deliveries";
import { exchanges } from "@/db/schema/exchanges";
import { notices } from "@/db/schema/notices";
import { useTestDatabase } from "../database";
import { callPartner } from "../partner-client";
import { countRows, exchangesWithBody } from "./hub-state";
import { checkout, line, SKU_A, storeOrder, uniqueCode } from "./messages";

// A partner's bug must become a 400 that names the field and why, stored
// nowhere but the exchange log.

const database = useTestDatabase();

/** The ordermake body as text, with one field replaced (undefined drops it). */
function orderText(change: Record<string, unknown>) {
  const order = storeOrder(change);
  return { dispatchNO: order.dispatchNO, text: JSON.stringify(order) };
}

const cases: [string, () => { dispatchNO: string; text: string }, string][] = [
  ["malformed JSON", () => ({ dispatchNO: "DN-BROKEN", text: '{"dispatchNO":"DN-BROKEN","items":[' }), "JSON"],
  [
    "a trailing comma",
    () => {
      const { dispatchNO, text } = orderText({});
      return { dispatchNO, text: `${text.slice(0, -1)},}` };
    },
    "JSON",
  ],
  ["a JSON array body", () => ({ dispatchNO: "DN-ARRAY", text: JSON.stringify([storeOrder({ dispatchNO: "DN-ARRAY" })]) }), "JSON 对象"],
  ["a missing field", () => orderText({ phone: undefined }), "phone: "],
  ["a field of the wrong type", () => orderText({ shopCode: 1001 }), "shopCode: "],
  ["qty 0", () => orderText({ items: [line(SKU_A, 0)] }), "items[0].qty: "],
  ["qty 1.5", () => orderText({ items: [line(SKU_A, 1), line(SKU_A, 1.5)] }), "items[1].qty: "],
  ['qty "2"', () => orderText({ items: [{ ...SKU_A, qty: "2" }] }), "items[0].qty: "],
  ["a receiver over 100 characters", () => orderText({ receiver: "张".repeat(101) }), "receiver: "],
  ["a product code over 64 characters", () => orderText({ items: [{ ...line(SKU_A, 1), product: "G".repeat(65) }] }), "items[0].product: "],
  ["an empty items array", () => orderText({ items: [] }), "items: "],
  ["more than 500 item lines", () => orderText({ items: Array.from({ length: 501 }, () => line(SKU_A, 1)) }), "items: "],
];

test.each(cases)("ordermake with %s: 400 naming it, logged as invalid, nothing stored or queued", async (_, build, field) => {
  const { dispatchNO, text } = build();
  const deliveriesBefore = await countRows(database.db, deliveries);

  const answer = await callPartner("/pos/ordermake", null, { rawBody: text });
  expect(answer.status).toBe(400);
  expect(answer.body.success).toBe(false);
  expect(answer.body.msg).toContain(field);

  expect(await countRows(database.db, notices, eq(notices.dispatchNo, dispatchNO))).toBe(0);
  expect(await countRows(database.db, deliveries)).toBe(deliveriesBefore);
  const logged = await exchangesWithBody(database.db, text.slice(0, 4096));
  expect(logged.map((c) => [c.path, c.outcome, c.responseStatus, c.responseBody])).toEqual([
    ["/pos/ordermake", "invalid", 400, answer.body],
  ]);
  expect(logged[0]?.requestTruncated).toBe(text.length > 4096);
});

test("a nested field deep in a checkout is named by its full path", async () => {
  const body = checkout(uniqueCode("EC"), [
    { waybillCode: uniqueCode("WB"), sns: [uniqueCode("SN")] },
    { waybillCode: uniqueCode("WB"), sns: [uniqueCode("SN"), ""] },
  ]);
  const answer = await callPartner("/pos/checkout", body);
  expect(answer.status).toBe(400);
  expect(answer.body.msg).toContain("packages[1].sns[1]: ");
});

test("a notice shipped with a transfer without packages is a 400, not an oversold notice", async () => {
  const answer = await callPartner("/oms/delivery/notice", {
    dispatchNO: uniqueCode("DN"),
    transfers: [{ transferCode: "T1", packages: [] }],
  });
  expect(answer.status).toBe(400);
  expect(answer.body.msg).toContain("transfers[0].packages: ");
});

test("a 5 MB body: 413 before it is read whole, logged, nothing stored", async () => {
  const dispatchNO = uniqueCode("DN");
  const notesBefore = await countRows(database.db, notices);
  const deliveriesBefore = await countRows(database.db, deliveries);
  const huge = JSON.stringify(storeOrder({ dispatchNO, address: "x".repeat(5 * 1024 * 1024) }));

  const answer = await callPartner("/pos/ordermake", null, { rawBody: huge });
  expect(answer.status).toBe(413);
  expect(answer.body.success).toBe(false);
  expect(answer.body.msg).toBeTruthy();

  expect(await countRows(database.db, notices)).toBe(notesBefore);
  expect(await countRows(database.db, deliveries)).toBe(deliveriesBefore);
  const logged = await database.db.select().from(exchanges).where(eq(exchanges.responseStatus, 413));
  expect(logged.map((c) => [c.path, c.outcome])).toEqual([["/pos/ordermake", "invalid"]]);
  expect(logged[0]!.requestBody.length).toBeLessThanOrEqual(4096);
});
