import { describe, expect, it } from "vitest";
import { checkEditedPayload, keyPaths } from "@/server/delivery/edit-rules";

const order = {
  shopCode: "S001",
  dispatchNO: "DN-1",
  receiver: "张三",
  phone: "138-0000-1234",
  address: "文三路 100 号",
  items: [{ product: "G1", color: "C1", size: "M", qty: 1 }],
};
const check = (after: unknown, before: unknown = order, path = "/pos/ordermake", noticeDispatchNo: string | null = "DN-1") => () =>
  checkEditedPayload({ path, before: JSON.stringify(before), after: JSON.stringify(after), noticeDispatchNo });

describe("checkEditedPayload", () => {
  it("lets content change: a phone without dashes, another quantity", () => {
    expect(check({ ...order, phone: "13800001234", items: [{ ...order.items[0], qty: 2 }] })).not.toThrow();
  });

  it("refuses another notice's dispatchNO, naming the field and both values", () => {
    expect(check({ ...order, dispatchNO: "DN-2" })).toThrow(/dispatchNO: 不能修改.*"DN-1".*"DN-2"/);
  });

  it("refuses another shop where the message has a shopCode", () => {
    expect(check({ ...order, shopCode: "S009" })).toThrow(/shopCode: 不能修改/);
    const remove = { dispatchNO: "EC-1", shopCode: "S002" };
    expect(check({ ...remove, shopCode: "S003" }, remove, "/oms/orderremove", "EC-1")).toThrow(/shopCode/);
  });

  it("reads identity as the schema does: surrounding spaces are no change", () => {
    expect(check({ ...order, dispatchNO: " DN-1 " })).not.toThrow();
  });

  it("sends what it checked: codes typed with stray or full-width spaces go out trimmed, an unchanged edit as typed", () => {
    const typed = JSON.stringify({ ...order, dispatchNO: " DN-1\u3000", shopCode: "S001 ", phone: "13800001234" });
    const sent = JSON.parse(checkEditedPayload({ path: "/pos/ordermake", before: JSON.stringify(order), after: typed, noticeDispatchNo: "DN-1" }));
    expect(sent).toMatchObject({ dispatchNO: "DN-1", shopCode: "S001", phone: "13800001234" });
    const clean = JSON.stringify({ ...order, phone: "13800001234" }, null, 2);
    expect(checkEditedPayload({ path: "/pos/ordermake", before: JSON.stringify(order), after: clean, noticeDispatchNo: "DN-1" })).toBe(clean);
  });

  it("refuses a dispatchNO that is not the notice's even when the stored payload already carried it", () => {
    expect(check(order, order, "/pos/ordermake", "DN-OTHER")).toThrow(/必须是本通知单 DN-OTHER/);
  });

  it("keeps messages without dispatchNO (refund) fixed to their shop", () => {
    const refund = { shopCode: "S001", sn: "SN-1" };
    expect(check({ ...refund, sn: "SN-2" }, refund, "/pos/refund", null)).not.toThrow();
    expect(check({ ...refund, shopCode: "S002" }, refund, "/pos/refund", null)).toThrow(/shopCode/);
  });

  it("refuses fields outside the contract that the edit adds, at any depth, but keeps the partner's own", () => {
    expect(check({ ...order, hijack: { dispatchNO: "DN-2" } })).toThrow(/hijack: 接口文档之外的字段/);
    expect(check({ ...order, items: [{ ...order.items[0], note: "x" }] })).toThrow(/items\[\]\.note/);
    const withPartnerExtras = { ...order, timestamp: "20260101", sign: "abc" };
    expect(check({ ...withPartnerExtras, sign: "def" }, withPartnerExtras)).not.toThrow();
  });

  it("still validates the content against the endpoint's schema", () => {
    expect(check({ ...order, items: [] })).toThrow(/items/);
    expect(check("not an object")).toThrow(/JSON 对象/);
  });
});

describe("keyPaths", () => {
  it("folds array positions", () => {
    expect([...keyPaths({ a: [{ b: 1 }, { c: [{ d: 2 }] }] })]).toEqual(["a", "a[].b", "a[].c", "a[].c[].d"]);
  });
});
