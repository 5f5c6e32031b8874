import { describe, expect, test } from "vitest";
import {
  findGoodsAfterFinal,
  staleWaybillChange,
  BUSINESS_MSG,
  decideRefusal,
  decideShipFromStoreVoid,
  decideShipment,
  decideStoreOrderVoid,
  findShipmentAnomalies,
  findShortShipment,
  findSlaBreach,
  mergeOrderedItems,
  phoneTail,
  piecesNotYetRecorded,
  statusAfterNoticeShipped,
  statusAfterPackage,
  type Decision,
  type NoticeKind,
  type NoticeStatus,
  type Piece,
} from "@/server/notices/rules";

const ok: Decision = { ok: true };
const no = (msg: string): Decision => ({ ok: false, msg });

const decisions = (decide: (n: { kind: NoticeKind; status: NoticeStatus }) => Decision, kind: NoticeKind) =>
  (status: NoticeStatus) => decide({ kind, status });

describe("who may void, ship or refuse a notice, per status", () => {
  test.each<[NoticeStatus, Decision]>([
    ["pending", ok],
    ["partially_shipped", no(BUSINESS_MSG.storeOrderShipped)],
    ["shipped", no(BUSINESS_MSG.storeOrderShipped)],
    ["oversold", ok],
    ["voided", ok],
    ["refused", ok],
  ])("pos/orderremove on a %s store order", (status, expected) => {
    expect(decisions(decideStoreOrderVoid, "store_order")(status)).toEqual(expected);
  });

  test.each<[NoticeStatus, Decision]>([
    ["pending", ok],
    ["partially_shipped", ok],
    ["shipped", no(BUSINESS_MSG.storeCheckedOut)],
    ["oversold", ok],
    ["voided", ok],
    ["refused", ok],
  ])("oms/orderremove on a %s ship-from-store notice", (status, expected) => {
    expect(decisions(decideShipFromStoreVoid, "ship_from_store")(status)).toEqual(expected);
  });

  test.each<[NoticeStatus, Decision]>([
    ["pending", ok],
    ["partially_shipped", ok],
    ["shipped", ok],
    ["oversold", ok],
    ["voided", no(BUSINESS_MSG.noticeVoided)],
    ["refused", ok],
  ])("a shipment on a %s notice", (status, expected) => {
    expect(decisions(decideShipment, "store_order")(status)).toEqual(expected);
    expect(decisions(decideShipment, "ship_from_store")(status)).toEqual(expected);
  });

  test.each<[NoticeStatus, Decision]>([
    ["pending", ok],
    ["partially_shipped", ok],
    ["shipped", no(BUSINESS_MSG.storeCheckedOut)],
    ["oversold", ok],
    ["voided", no(BUSINESS_MSG.noticeVoided)],
    ["refused", ok],
  ])("pos/refuse on a %s notice", (status, expected) => {
    expect(decisions(decideRefusal, "ship_from_store")(status)).toEqual(expected);
  });

  test("the refusals carry the seed's exact wording", () => {
    expect(BUSINESS_MSG).toEqual({
      duplicateNotice: "发货通知单号重复",
      noticeNotFound: "通知单不存在",
      storeOrderShipped: "通知单已经出库",
      storeCheckedOut: "通知单已出库",
      noticeVoided: "通知单已作废",
    });
  });
});

describe("status after shipping", () => {
  test.each<[NoticeStatus, NoticeStatus]>([
    ["pending", "partially_shipped"],
    ["partially_shipped", "partially_shipped"],
    ["shipped", "shipped"],
    ["oversold", "oversold"],
  ])("a package on a %s notice leaves it %s", (before, after) => {
    expect(statusAfterPackage(before)).toBe(after);
  });

  test("the final notice message with nothing shipped means oversold, anything shipped means shipped", () => {
    expect(statusAfterNoticeShipped(0)).toBe("oversold");
    expect(statusAfterNoticeShipped(1)).toBe("shipped");
    expect(statusAfterNoticeShipped(40)).toBe("shipped");
  });
});

const A = { product: "G1", color: "C1", size: "M" };
const B = { product: "G2", color: "C2", size: "L" };
const C = { product: "G3", color: "C3", size: "XL" };

test("mergeOrderedItems adds up lines of the same SKU, keeps the first-seen order and leaves its input alone", () => {
  const input = [
    { ...A, qty: 2 },
    { ...B, qty: 1 },
    { ...A, qty: 3 },
    { product: "G1", color: "C1", size: "L", qty: 1 },
  ];
  const snapshot = structuredClone(input);
  expect(mergeOrderedItems(input)).toEqual([
    { ...A, qty: 5 },
    { ...B, qty: 1 },
    { product: "G1", color: "C1", size: "L", qty: 1 },
  ]);
  expect(input).toEqual(snapshot);
});

describe("piecesNotYetRecorded", () => {
  test("a re-sent package only adds the pieces it did not carry before", () => {
    const recorded = [{ ...A, sn: "S1" }, { ...A, sn: "S2" }];
    expect(piecesNotYetRecorded(recorded, [{ ...A, sn: "S1" }, { ...A, sn: "S2" }, { ...A, sn: "S3" }])).toEqual([
      { ...A, sn: "S3" },
    ]);
  });

  test("pieces without serials are counted, not collapsed", () => {
    const recorded = [{ ...A }, { ...A }];
    expect(piecesNotYetRecorded(recorded, [{ ...A }, { ...A }, { ...A }])).toEqual([{ ...A }]);
  });

  test("the same serial under another SKU is a different piece", () => {
    expect(piecesNotYetRecorded([{ ...A, sn: "S1" }], [{ ...B, sn: "S1" }])).toEqual([{ ...B, sn: "S1" }]);
  });

  test("nothing recorded: everything is new", () => {
    const incoming = [{ ...A, sn: "S1" }, { ...B }];
    expect(piecesNotYetRecorded([], incoming)).toEqual(incoming);
  });
});

describe("findShipmentAnomalies", () => {
  const ordered = [{ ...A, qty: 2 }, { ...B, qty: 1 }];
  const kinds = (input: { alreadyShipped?: Piece[]; incoming: Piece[] }, orderedLines = ordered) =>
    findShipmentAnomalies({ ordered: orderedLines, alreadyShipped: input.alreadyShipped ?? [], incoming: input.incoming });

  test("a shipment that matches the order is clean", () => {
    expect(kinds({ alreadyShipped: [{ ...A, sn: "S1" }], incoming: [{ ...A, sn: "S2" }, { ...B, sn: "S3" }] })).toEqual([]);
  });

  test("more pieces of a SKU than ordered, counting earlier packages, is over-shipped", () => {
    expect(kinds({ alreadyShipped: [{ ...A, sn: "S1" }, { ...A, sn: "S2" }], incoming: [{ ...A, sn: "S3" }] })).toEqual([
      expect.objectContaining({ kind: "over_shipped", data: { ...A, ordered: 2, shipped: 3 } }),
    ]);
  });

  test("a serial shipped in an earlier message is flagged as duplicate", () => {
    expect(kinds({ alreadyShipped: [{ ...A, sn: "S1" }], incoming: [{ ...B, sn: "S1" }] })).toEqual([
      expect.objectContaining({ kind: "duplicate_serial", data: { sn: "S1" } }),
    ]);
  });

  test("a serial twice within one message is flagged once", () => {
    const found = kinds({ incoming: [{ ...A, sn: "S9" }, { ...A, sn: "S9" }] });
    expect(found).toEqual([expect.objectContaining({ kind: "duplicate_serial", data: { sn: "S9" } })]);
    expect(found[0]!.detail).toContain("S9");
  });

  test("a SKU that was never ordered is flagged with how many left", () => {
    expect(kinds({ incoming: [{ ...C, sn: "S1" }, { ...C, sn: "S2" }] })).toEqual([
      expect.objectContaining({ kind: "sku_not_ordered", data: { ...C, shipped: 2 } }),
    ]);
  });

  test("serial-only checkout pieces are checked against the total ordered", () => {
    const serials = (...sns: string[]) => sns.map((sn) => ({ sn }));
    expect(kinds({ alreadyShipped: serials("S1"), incoming: serials("S2", "S3") })).toEqual([]);
    expect(kinds({ alreadyShipped: serials("S1", "S2"), incoming: serials("S3", "S4") })).toEqual([
      expect.objectContaining({ kind: "over_shipped", data: { ordered: 3, shipped: 4 } }),
    ]);
  });

  test("pieces without serials are never duplicates", () => {
    expect(kinds({ alreadyShipped: [{ ...A }], incoming: [{ ...A }] })).toEqual([]);
  });
});

describe("findShortShipment", () => {
  const ordered = [{ ...A, qty: 2 }, { ...B, qty: 1 }];

  test("each SKU that left short of its order is flagged with ordered and shipped", () => {
    expect(findShortShipment(ordered, [{ ...A, sn: "S1" }])).toEqual([
      expect.objectContaining({ kind: "short_shipped", data: { ...A, qty: 2, ordered: 2, shipped: 1 } }),
      expect.objectContaining({ kind: "short_shipped", data: { ...B, qty: 1, ordered: 1, shipped: 0 } }),
    ]);
  });

  test("a complete shipment, or nothing shipped at all (oversold), is not short", () => {
    expect(findShortShipment(ordered, [{ ...A }, { ...A }, { ...B }])).toEqual([]);
    expect(findShortShipment(ordered, [])).toEqual([]);
  });
});

describe("findSlaBreach", () => {
  const pushedAt = new Date("2024-05-01T08:00:00Z");
  const after = (minutes: number) => new Date(pushedAt.getTime() + minutes * 60_000);

  test("23 h 59 min after the push is within the window", () => {
    expect(findSlaBreach({ pushedAt, checkedOutAt: after(23 * 60 + 59) })).toBeNull();
  });

  test("exactly 24 h is still within the window", () => {
    expect(findSlaBreach({ pushedAt, checkedOutAt: after(24 * 60) })).toBeNull();
  });

  test("24 h 01 min without a reason is a breach", () => {
    expect(findSlaBreach({ pushedAt, checkedOutAt: after(24 * 60 + 1), over24hReason: "" })).toEqual(
      expect.objectContaining({ kind: "sla_breach", data: { hours: 24 } }),
    );
    expect(findSlaBreach({ pushedAt, checkedOutAt: after(24 * 60 + 1), over24hReason: null })?.kind).toBe("sla_breach");
    expect(findSlaBreach({ pushedAt, checkedOutAt: after(24 * 60 + 1), over24hReason: "   " })?.kind).toBe("sla_breach");
  });

  test("24 h 01 min with a reason is not a breach", () => {
    expect(findSlaBreach({ pushedAt, checkedOutAt: after(24 * 60 + 1), over24hReason: "顾客要求延迟发货" })).toBeNull();
  });
});

test.each<[string | null | undefined, string | null]>([
  ["13800001234", "1234"],
  ["138-0000-5678", "5678"],
  ["+86 138 0000 9012", "9012"],
  ["0571-8888 7777", "7777"],
  ["123", null],
  ["", null],
  [null, null],
  [undefined, null],
])("phoneTail(%j) is %j", (phone, tail) => {
  expect(phoneTail(phone)).toBe(tail);
});

describe("goods after a final state (SPEC §4)", () => {
  test.each(["shipped", "oversold", "refused"] as const)("on a %s notice: flagged, naming the state and the message", (status) => {
    expect(findGoodsAfterFinal(status, "oms/delivery/package")).toEqual({
      kind: "goods_after_final",
      detail: `通知单已是终态 ${status} 后又收到 oms/delivery/package (goods moved after the notice was final)`,
      data: { status, movement: "oms/delivery/package" },
    });
  });
  test.each(["pending", "partially_shipped", "voided"] as const)("on a %s notice: nothing to flag here", (status) => {
    expect(findGoodsAfterFinal(status, "pos/checkout")).toBeNull();
  });
});

test("a stale waybill change names the waybill it asked for and the one the parcel has now", () => {
  expect(staleWaybillChange({ targetbillCode: "SF1", waybillCode: "JD9" }, "SF2")).toMatchObject({
    kind: "stale_waybill_change",
    data: { targetbillCode: "SF1", currentWaybill: "SF2", requested: "JD9" },
  });
  expect(staleWaybillChange({ targetbillCode: "SF1", waybillCode: "JD9" }, "SF2").detail).toContain("SF1 已改为 SF2");
});
