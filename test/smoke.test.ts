import { expect, test } from "vitest";
import { useTestDatabase } from "./database";
import { callPartner } from "./partner-client";

const database = useTestDatabase();

test("a store order is accepted", async () => {
  const res = await callPartner("/pos/ordermake", {
    shopCode: "S001", dispatchNO: "D1", purchaseCode: "P1", memberCode: "M1", receiver: "张三", phone: "13800001234",
    province: "浙江", city: "杭州", county: "西湖", address: "文三路 1 号",
    items: [{ product: "G1", color: "C1", size: "S1", qty: 2 }],
  });
  expect(res).toEqual({ status: 200, body: { success: true } });
  expect(database.db).toBeDefined();
});
