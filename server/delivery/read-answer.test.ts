import { describe, expect, test } from "vitest";
import { decodeAnswer, readReply } from "@/server/delivery/read-answer";

const bytes = (...parts: (number[] | string)[]) =>
  Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part, "utf8") : Buffer.from(part))));
// 通知单已作废 in GBK.
const VOIDED_GBK = [0xcd, 0xa8, 0xd6, 0xaa, 0xb5, 0xa5, 0xd2, 0xd1, 0xd7, 0xf7, 0xb7, 0xcf];
const BOM = [0xef, 0xbb, 0xbf];

describe("decodeAnswer", () => {
  test.each<[string, Uint8Array, string | null, string]>([
    ["UTF-8, no content type", bytes('{"success":true}'), null, '{"success":true}'],
    ["UTF-8 with a BOM", bytes(BOM, '{"success":true}'), "application/json", '{"success":true}'],
    ["a GBK refusal", bytes('{"success":false,"msg":"', VOIDED_GBK, '"}'), "application/json;charset=GBK", '{"success":false,"msg":"通知单已作废"}'],
    ["GB2312 read as GBK", bytes('{"msg":"', VOIDED_GBK, '"}'), 'text/json; charset="gb2312"', '{"msg":"通知单已作废"}'],
    ["GB18030", bytes('{"msg":"', VOIDED_GBK, '"}'), "application/json; charset=GB18030", '{"msg":"通知单已作废"}'],
    ["an unknown charset, read as UTF-8", bytes('{"success":true}'), "application/json; charset=koi8-r", '{"success":true}'],
    ["invalid bytes kept visible as U+FFFD", bytes('{"msg":"', [0xff], '"}'), null, '{"msg":"\ufffd"}'],
  ])("%s", (_, body, contentType, text) => {
    expect(decodeAnswer(body, contentType)).toBe(text);
  });
});

describe("readReply", () => {
  test.each<[string, string, ReturnType<typeof readReply>]>([
    ["true", '{"success":true}', { reply: { success: true } }],
    ["false with msg", '{"success":false,"msg":"通知单已作废"}', { reply: { success: false, msg: "通知单已作废" } }],
    ['"true"', '{"success":"true"}', { reply: { success: true } }],
    ['"True"', '{"success":"True"}', { reply: { success: true } }],
    ['" FALSE "', '{"success":" FALSE ","msg":"x"}', { reply: { success: false, msg: "x" } }],
    ["a BOM before the JSON", '\ufeff{"success":"false"}', { reply: { success: false } }],
    ["a msg that is not a string is left out", '{"success":false,"msg":42}', { reply: { success: false } }],
    ["empty (an empty 200)", "", { none: "not_json" }],
    ["an HTML page from a proxy", "<html><body>OK</body></html>", { none: "not_json" }],
    ['"yes"', '{"success":"yes"}', { none: "no_success" }],
    ["1", '{"success":1}', { none: "no_success" }],
    ["no success", '{"code":0,"msg":"ok"}', { none: "no_success" }],
    ["an array", "[true]", { none: "no_success" }],
    ["null", "null", { none: "no_success" }],
  ])("%s", (_, text, expected) => {
    expect(readReply(text)).toEqual(expected);
  });
});
