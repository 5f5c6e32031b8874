import { describe, expect, test } from "vitest";
import { HubError } from "@/server/errors";
import { omsNoticeShipped, posOrderMake } from "@/server/contract/messages";
import {
  canonicalJson,
  headersWorthLogging,
  idempotencyKey,
  parseJsonObject,
  parseMessage,
} from "@/server/contract/read-request";

function thrown(run: () => unknown): HubError {
  try {
    run();
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error("expected a HubError");
}

describe("canonicalJson", () => {
  test("does not depend on key order at any level", () => {
    const a = { b: 1, a: { d: [{ y: 1, x: "二" }], c: null } };
    const b = { a: { c: null, d: [{ x: "二", y: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[{"x":"二","y":1}]},"b":1}');
  });

  test("keeps array order and values apart", () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ a: "1" })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ 'a":1,"b': 2 })).not.toBe(canonicalJson({ a: 1, b: 2 }));
  });

  test("the idempotency key is the same for the same call however it is spelled, different for another side or path", () => {
    const body = JSON.parse('{ "dispatchNO": "D1", "items": [ {"qty":1,"product":"G"} ] }') as unknown;
    const respelled = JSON.parse('{"items":[{"product":"G","qty":1}],"dispatchNO":"D1"}') as unknown;
    const key = idempotencyKey("pos", "/pos/ordermake", body);
    expect(idempotencyKey("pos", "/pos/ordermake", respelled)).toBe(key);
    expect(idempotencyKey("oms", "/pos/ordermake", body)).not.toBe(key);
    expect(idempotencyKey("pos", "/pos/orderremove", body)).not.toBe(key);
  });
});

describe("parseJsonObject", () => {
  test("accepts an object", () => {
    expect(parseJsonObject(' { "a": 1 } ')).toEqual({ a: 1 });
  });

  test.each([
    ["a key twice", '{"a":1,"a":2}', "a"],
    ["a key twice deep in arrays", '{"t":[{"p":[{"x":1},{"sn":"1","w":2,"sn":"2"}]}]}', "t[0].p[1].sn"],
    ["a key spelled twice two ways", '{"a":{"dispatchNO":"D1","dispatch\\u004eO":"D2"}}', "a.dispatchNO"],
  ])("refuses %s, naming its path", (_, text, path) => {
    const error = thrown(() => parseJsonObject(text));
    expect(error.status).toBe(400);
    expect(error.message).toBe(`参数错误 ${path}: 键重复出现 (key appears twice in one object; the other side might read the other copy)`);
  });

  test("the same key in sibling objects, or an array of equal strings, is no repeat", () => {
    expect(parseJsonObject('{"a":[{"k":1},{"k":1}],"b":{"k":["x","x"]},"k":{"k":0}}')).toEqual({
      a: [{ k: 1 }, { k: 1 }],
      b: { k: ["x", "x"] },
      k: { k: 0 },
    });
  });

  test.each([
    ["malformed JSON", '{"a":'],
    ["a trailing comma", '{"a":1,}'],
    ["an array", "[1,2]"],
    ["null", "null"],
    ["a string", '"a"'],
    ["an empty body", ""],
  ])("refuses %s as invalid_json", (_, text) => {
    const error = thrown(() => parseJsonObject(text));
    expect(error.code).toBe("invalid_json");
    expect(error.status).toBe(400);
  });
});

describe("parseMessage", () => {
  const order = {
    shopCode: "S001",
    dispatchNO: "D1",
    receiver: "张三",
    phone: "13800001234",
    address: "文三路 1 号",
    items: [{ product: "G1", color: "C1", size: "M", qty: 2 }],
  };

  test("returns the message, trimmed", () => {
    expect(parseMessage(posOrderMake, { ...order, shopCode: "  S001 " }).shopCode).toBe("S001");
  });

  test.each([
    ["qty 0", { items: [{ ...order.items[0], qty: 0 }] }, "items[0].qty"],
    ["qty 1.5", { items: [{ ...order.items[0], qty: 1.5 }] }, "items[0].qty"],
    ['qty "2"', { items: [{ ...order.items[0], qty: "2" }] }, "items[0].qty"],
    ["a missing field", { dispatchNO: undefined }, "dispatchNO"],
    ["a blank field", { shopCode: "   " }, "shopCode"],
    ["an empty items array", { items: [] }, "items"],
    ["a too-long code", { dispatchNO: "D".repeat(65) }, "dispatchNO"],
  ])("a 400 names the field: %s", (_, change, field) => {
    const error = thrown(() => parseMessage(posOrderMake, { ...order, ...change }));
    expect(error.code).toBe("invalid_body");
    expect(error.status).toBe(400);
    expect(error.message).toContain(`${field}: `);
  });

  test("the path reaches deep into nested arrays", () => {
    const message = {
      dispatchNO: "D1",
      transfers: [
        { transferCode: "T1", packages: [{ waybillCode: "W1", items: [] }] },
        { transferCode: "T2", packages: [{ waybillCode: "W2", items: [{ product: "G", color: "C" }] }] },
      ],
    };
    expect(thrown(() => parseMessage(omsNoticeShipped, message)).message).toContain("transfers[1].packages[0].items[0].size: ");
  });

  test("names five problems and counts the rest", () => {
    const error = thrown(() => parseMessage(posOrderMake, {}));
    expect(error.message).toMatch(/\(\+\d+ more\)$/);
    expect(error.message.split("; ")).toHaveLength(5);
  });
});

test("the Authorization header is never among the logged headers", () => {
  const headers = new Headers({ authorization: "Bearer secret", "content-type": "application/json", cookie: "a=b" });
  expect(headersWorthLogging(headers)).toEqual({ "content-type": "application/json" });
});
