import { describe, expect, test } from "vitest";
import type { z } from "zod";
import { readCanonicalMessage, type CanonicalCall } from "@/server/contract/canonical-message";
import { omsNoticeShipped, omsPushOrder, posCheckout } from "@/server/contract/messages";
import { idempotencyKey } from "@/server/contract/read-request";

const pushOrder = {
  shopCode: "S002",
  dispatchNO: "EC1001",
  purchaseNumber: "P-77",
  receiver: "林晓燕",
  phone: "13800005531",
  address: "文三路 1 号",
  items: [{ product: "G1", color: "C1", size: "M", qty: 1 }],
};

function read(body: Record<string, unknown>): CanonicalCall<z.output<typeof omsPushOrder>>;
function read<S extends z.ZodType>(body: Record<string, unknown>, schema: S): CanonicalCall<z.output<S>>;
function read(body: Record<string, unknown>, schema: z.ZodType = omsPushOrder) {
  const text = JSON.stringify(body);
  return readCanonicalMessage(schema, JSON.parse(text) as Record<string, unknown>, text, []);
}
const identity = (body: Record<string, unknown>) => idempotencyKey("oms", "/oms/pushorder", read(body).message);

describe("readCanonicalMessage", () => {
  test("a call read as sent is forwarded as the received text", () => {
    const text = ' {"dispatchNO" : "EC1", "shopCode":"S002","timestamp":"20261130"}';
    const call = readCanonicalMessage(
      omsNoticeShipped.pick({ dispatchNO: true }).extend({ shopCode: omsPushOrder.shape.shopCode }),
      JSON.parse(text) as Record<string, unknown>,
      text,
      [],
    );
    expect(call).toEqual({ message: { dispatchNO: "EC1", shopCode: "S002" }, forwardPayload: text, changes: [] });
  });

  test.each([
    ["ASCII spaces", " EC1001 "],
    ["a tab and a newline", "\tEC1001\n"],
    ["full-width spaces (U+3000)", "\u3000EC1001\u3000"],
  ])("codes padded with %s are trimmed in the message and the forwarded JSON", (_, padded) => {
    const call = read({ ...pushOrder, dispatchNO: padded });
    expect(call.message.dispatchNO).toBe("EC1001");
    expect(JSON.parse(call.forwardPayload)).toEqual(pushOrder);
    expect(call.changes).toEqual([{ kind: "trimmed", path: "dispatchNO", from: padded, to: "EC1001" }]);
  });

  test("a padded serial deep in an array is trimmed where it stands", () => {
    const body = { dispatchNO: "EC1", packages: [{ waybillCode: "SF1", sns: ["SN1", " SN2\u3000"] }] };
    const call = read(body, posCheckout);
    expect(call.message.packages[0]!.sns).toEqual(["SN1", "SN2"]);
    expect(call.changes).toEqual([{ kind: "trimmed", path: "packages[0].sns[1]", from: " SN2\u3000", to: "SN2" }]);
  });

  test("a blank optional code counts as absent: left out of the message and the forwarded JSON", () => {
    const call = read({ ...pushOrder, purchaseNumber: "\u3000 " });
    expect(call.message).not.toHaveProperty("purchaseNumber");
    expect(JSON.parse(call.forwardPayload)).not.toHaveProperty("purchaseNumber");
    expect(call.changes).toEqual([{ kind: "emptied", path: "purchaseNumber", from: "\u3000 " }]);
  });

  test("an optional sent empty or null is the same call as one left out, and is forwarded as sent", () => {
    const { purchaseNumber: _, ...without } = pushOrder;
    expect(identity({ ...pushOrder, purchaseNumber: "" })).toBe(identity(without));
    expect(identity({ ...pushOrder, purchaseNumber: null })).toBe(identity(without));
    const call = read({ ...pushOrder, purchaseNumber: null });
    expect(call.changes).toEqual([]);
    expect(JSON.parse(call.forwardPayload)).toHaveProperty("purchaseNumber", null);
  });

  test("fields outside the contract are forwarded as sent and never change the identity", () => {
    const envelope = { timestamp: "2026-11-30 12:00:00", sign: "9f86d0", ext: { channel: " tmall " } };
    const call = read({ ...pushOrder, ...envelope, dispatchNO: " EC1001" });
    expect(call.message).toEqual(pushOrder);
    expect(JSON.parse(call.forwardPayload)).toEqual({ ...pushOrder, ...envelope });
    expect(identity({ ...pushOrder, ...envelope })).toBe(identity(pushOrder));
    expect(identity({ ...pushOrder, timestamp: "other", sign: "other" })).toBe(identity(pushOrder));
    // The contract's own content still tells calls apart.
    expect(identity({ ...pushOrder, receiver: "林晓" })).not.toBe(identity(pushOrder));
  });

  test("a padded retry is the same call as the clean one", () => {
    expect(identity({ ...pushOrder, dispatchNO: "EC1001 ", shopCode: "\u3000S002" })).toBe(identity(pushOrder));
  });

  test("a __proto__ key from a partner stays an ordinary forwarded key", () => {
    const text = `{"__proto__":{"polluted":1},${JSON.stringify(pushOrder).slice(1, -1)},"dispatchNO":" EC9"}`.replace(
      '"dispatchNO":"EC1001",',
      "",
    );
    const call = readCanonicalMessage(omsPushOrder, JSON.parse(text) as Record<string, unknown>, text, []);
    const forwarded = JSON.parse(call.forwardPayload) as Record<string, unknown>;
    expect(Object.hasOwn(forwarded, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(call.message.dispatchNO).toBe("EC9");
  });

  test("bytes changes come first in the changes, values after", () => {
    const text = JSON.stringify({ ...pushOrder, dispatchNO: "EC1001 " });
    const call = readCanonicalMessage(omsPushOrder, JSON.parse(text) as Record<string, unknown>, text, [{ kind: "bom" }]);
    expect(call.changes.map((change) => change.kind)).toEqual(["bom", "trimmed"]);
  });

  test("reading changed only bytes (a BOM, a charset): the decoded text goes on, in UTF-8", () => {
    const text = JSON.stringify(pushOrder);
    const call = readCanonicalMessage(omsPushOrder, JSON.parse(text) as Record<string, unknown>, text, [
      { kind: "charset", detail: "GBK → UTF-8" },
    ]);
    expect(call.forwardPayload).toBe(text);
  });
});
