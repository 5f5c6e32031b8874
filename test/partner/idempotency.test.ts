import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { notices } from "@/db/schema/notices";
import { useTestDatabase } from "../database";
import { callPartner } from "../partner-client";
import { countRows, deliveriesOf, exchangesOf, noticeState } from "./hub-state";
import { packageShipped, piece, SKU_A, storeOrder, transfer, uniqueCode } from "./messages";

// Both partners retry on anything but 200, so a repeat of a call (same side,
// path and body, however spelled) must get the first answer and change nothing.

const database = useTestDatabase();
const accepted = { status: 200, body: { success: true } };
const refusedWith = (msg: string) => ({ status: 200, body: { success: false, msg } });

/** The same JSON with its keys in reverse order at every level and other whitespace. */
function respelled(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(respelled);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).reverse().map(([key, item]) => [key, respelled(item)]));
  }
  return value;
}

test("an exact repeat, spelled differently, gets the first answer and creates nothing", async () => {
  const order = storeOrder();
  expect(await callPartner("/pos/ordermake", order)).toEqual(accepted);
  const rawRepeat = `\n  ${JSON.stringify(respelled(order), null, "\t")}  \n`;
  expect(rawRepeat).not.toBe(JSON.stringify(order));
  expect(await callPartner("/pos/ordermake", null, { rawBody: rawRepeat })).toEqual(accepted);

  expect(await countRows(database.db, notices, eq(notices.dispatchNo, order.dispatchNO))).toBe(1);
  expect(await deliveriesOf(database.db, order.dispatchNO)).toHaveLength(1);
  const state = await noticeState(database.db, order.dispatchNO);
  const calls = await exchangesOf(database.db, order.dispatchNO);
  expect(calls.map((c) => [c.outcome, c.responseStatus, c.responseBody, c.noticeId]).sort()).toEqual(
    [
      ["accepted", 200, { success: true }, state!.notice.id],
      ["duplicate", 200, { success: true }, state!.notice.id],
    ].sort(),
  );
  // The repeat is logged as it came: its own spelling, not the first call's.
  expect(calls.find((c) => c.outcome === "duplicate")?.requestBody).toBe(rawRepeat);
});

test("a repeated package message records its pieces once", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const message = packageShipped(order.dispatchNO, transfer("T1", "WH01", [{ waybillCode: uniqueCode("WB"), items: [piece(SKU_A)] }]));
  expect(await callPartner("/oms/delivery/package", message)).toEqual(accepted);
  expect(await callPartner("/oms/delivery/package", message)).toEqual(accepted);

  const state = await noticeState(database.db, order.dispatchNO);
  expect(state?.pieces).toHaveLength(1);
  expect(state?.anomalies).toEqual([]);
  expect((await deliveriesOf(database.db, order.dispatchNO)).map((d) => d.path)).toEqual([
    "/pos/ordermake",
    "/oms/delivery/package",
  ]);
});

test("20 identical ordermake calls at once: all accepted, one notice, one delivery, 19 logged as duplicates", async () => {
  const order = storeOrder();
  const answers = await Promise.all(Array.from({ length: 20 }, () => callPartner("/pos/ordermake", order)));

  expect(answers).toEqual(Array.from({ length: 20 }, () => accepted));
  expect(await countRows(database.db, notices, eq(notices.dispatchNo, order.dispatchNO))).toBe(1);
  expect(await deliveriesOf(database.db, order.dispatchNO)).toHaveLength(1);
  const outcomes = (await exchangesOf(database.db, order.dispatchNO)).map((c) => c.outcome);
  expect(outcomes.filter((o) => o === "accepted")).toHaveLength(1);
  expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(19);
  expect(outcomes).toHaveLength(20);
});

test("10 different bodies under one dispatchNO at once: one accepted, nine told 发货通知单号重复", async () => {
  const dispatchNO = uniqueCode("DN");
  const answers = await Promise.all(
    Array.from({ length: 10 }, (_, i) => callPartner("/pos/ordermake", storeOrder({ dispatchNO, receiver: `顾客${i}` }))),
  );

  expect(answers.filter((a) => a.body.success)).toHaveLength(1);
  expect(answers.filter((a) => !a.body.success)).toEqual(Array.from({ length: 9 }, () => refusedWith("发货通知单号重复")));
  expect(await countRows(database.db, notices, eq(notices.dispatchNo, dispatchNO))).toBe(1);
  expect(await deliveriesOf(database.db, dispatchNO)).toHaveLength(1);
});

test("a repeated business refusal gets the same refusal, logged as a duplicate", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const clash = { ...order, receiver: "李四" };
  expect(await callPartner("/pos/ordermake", clash)).toEqual(refusedWith("发货通知单号重复"));
  expect(await callPartner("/pos/ordermake", clash)).toEqual(refusedWith("发货通知单号重复"));

  const calls = await exchangesOf(database.db, order.dispatchNO);
  expect(calls.map((c) => c.outcome).sort()).toEqual(["accepted", "duplicate", "rejected"]);
  expect(calls.find((c) => c.outcome === "duplicate")?.responseBody).toEqual({ success: false, msg: "发货通知单号重复" });
  expect(await deliveriesOf(database.db, order.dispatchNO)).toHaveLength(1);
});

test("a refused void stays refused when retried, even though nothing about it changed", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  await callPartner(
    "/oms/delivery/package",
    packageShipped(order.dispatchNO, transfer("T1", "WH01", [{ waybillCode: uniqueCode("WB"), items: [piece(SKU_A)] }])),
  );
  const remove = { dispatchNO: order.dispatchNO };
  expect(await callPartner("/pos/orderremove", remove)).toEqual(refusedWith("通知单已经出库"));
  expect(await callPartner("/pos/orderremove", remove)).toEqual(refusedWith("通知单已经出库"));
  expect((await noticeState(database.db, order.dispatchNO))?.notice.status).toBe("partially_shipped");
});

test("the same body on another path is not a repeat", async () => {
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  const remove = { dispatchNO: order.dispatchNO };
  expect(await callPartner("/pos/orderremove", remove)).toEqual(accepted);
  // Same body, but the OMS side's void: its own call, its own answer.
  expect(await callPartner("/oms/orderremove", { ...remove, shopCode: "S001" })).toEqual(refusedWith("通知单不存在"));
  expect((await exchangesOf(database.db, order.dispatchNO)).map((c) => c.outcome).sort()).toEqual([
    "accepted",
    "accepted",
    "rejected",
  ]);
});
