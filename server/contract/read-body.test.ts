import { brotliCompressSync, constants, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { HubError } from "@/server/errors";
import { MAX_BODY_BYTES, declaredCharset, readBodyText, UnreadableBody } from "@/server/contract/read-body";

const request = (body: Uint8Array | string | null, headers: Record<string, string> = {}) =>
  new Request("http://hub.test/pos/ordermake", { method: "POST", body: body as BodyInit | null, headers });

async function refusal(run: () => Promise<unknown>): Promise<HubError> {
  const error = await run().then(
    () => new Error("expected a HubError"),
    (reason: unknown) => reason,
  );
  if (error instanceof HubError) return error;
  throw error;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (...parts: (number[] | string)[]) =>
  Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part, "latin1") : Buffer.from(part))));

// 林晓燕 in GBK; 楼楼 in GBK is C2 A5 C2 A5, which is also valid UTF-8 (¥¥): the
// kind of body the hub used to store as a name nobody typed.
const LIN_XIAO_YAN_GBK = [0xc1, 0xd6, 0xcf, 0xfe, 0xd1, 0xe0];
const LOU_LOU_GBK = [0xc2, 0xa5, 0xc2, 0xa5];
// 😀 needs GB18030's four-byte form.
const GRINNING_GB18030 = [0x94, 0x39, 0xfc, 0x36];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

describe("readBodyText: bytes to text", () => {
  test.each<[string, Uint8Array, Record<string, string>, string, unknown[]]>([
    ["UTF-8 with no charset", utf8('{"receiver":"张三" }'), {}, '{"receiver":"张三" }', []],
    ["UTF-8 declared", utf8('{"a":"张"}'), { "content-type": "application/json; charset=UTF-8" }, '{"a":"张"}', []],
    ["UTF-8 under a wrong content type", utf8('{"a":1}'), { "content-type": "text/plain" }, '{"a":1}', []],
    ["form content type, JSON body", utf8('{"a":1}'), { "content-type": "application/x-www-form-urlencoded" }, '{"a":1}', []],
    [
      "GBK",
      bytes('{"receiver":"', LIN_XIAO_YAN_GBK, '"}'),
      { "content-type": "application/json;charset=GBK" },
      '{"receiver":"林晓燕"}',
      [{ kind: "charset", detail: "GBK → UTF-8" }],
    ],
    [
      "GBK bytes that are also valid UTF-8",
      bytes('{"receiver":"', LOU_LOU_GBK, '"}'),
      { "content-type": "application/json; charset=gbk" },
      '{"receiver":"楼楼"}',
      [{ kind: "charset", detail: "GBK → UTF-8" }],
    ],
    [
      "GB2312 (read as GBK)",
      bytes('{"r":"', LIN_XIAO_YAN_GBK, '"}'),
      { "content-type": 'application/json; charset="gb2312"' },
      '{"r":"林晓燕"}',
      [{ kind: "charset", detail: "GB2312 → UTF-8" }],
    ],
    [
      "GB18030 four-byte",
      bytes('{"r":"', GRINNING_GB18030, LIN_XIAO_YAN_GBK, '"}'),
      { "content-type": "application/json; charset=GB18030" },
      '{"r":"😀林晓燕"}',
      [{ kind: "charset", detail: "GB18030 → UTF-8" }],
    ],
    ["a UTF-8 BOM", bytes(UTF8_BOM, '{"a":1}'), {}, '{"a":1}', [{ kind: "bom" }]],
    [
      "a BOM in GB18030",
      bytes([0x84, 0x31, 0x95, 0x33], '{"a":1}'),
      { "content-type": "application/json; charset=gb18030" },
      '{"a":1}',
      [{ kind: "charset", detail: "GB18030 → UTF-8" }, { kind: "bom" }],
    ],
    ["gzip", gzipSync(utf8('{"a":"张三"}')), { "content-encoding": "gzip" }, '{"a":"张三"}', [{ kind: "encoding", detail: "gzip" }]],
    ["deflate (zlib)", deflateSync(utf8('{"a":1}')), { "content-encoding": "deflate" }, '{"a":1}', [{ kind: "encoding", detail: "deflate" }]],
    ["deflate (raw)", deflateRawSync(utf8('{"a":1}')), { "content-encoding": "Deflate" }, '{"a":1}', [{ kind: "encoding", detail: "deflate" }]],
    ["br", brotliCompressSync(utf8('{"a":1}')), { "content-encoding": "br" }, '{"a":1}', [{ kind: "encoding", detail: "br" }]],
    ["identity", utf8('{"a":1}'), { "content-encoding": "identity" }, '{"a":1}', []],
    [
      "gzip of a GBK body with a BOM-less charset",
      gzipSync(bytes('{"r":"', LIN_XIAO_YAN_GBK, '"}')),
      { "content-encoding": "gzip", "content-type": "application/json; charset=gbk" },
      '{"r":"林晓燕"}',
      [{ kind: "encoding", detail: "gzip" }, { kind: "charset", detail: "GBK → UTF-8" }],
    ],
    [
      "gzip then br, undone in reverse",
      brotliCompressSync(gzipSync(utf8('{"a":1}'))),
      { "content-encoding": "gzip, br" },
      '{"a":1}',
      [{ kind: "encoding", detail: "gzip" }, { kind: "encoding", detail: "br" }],
    ],
  ])("%s", async (_, body, headers, text, changes) => {
    expect(await readBodyText(request(body, headers))).toEqual({ text, changes });
  });

  test("an empty body is empty text", async () => {
    expect(await readBodyText(request(null))).toEqual({ text: "", changes: [] });
  });
});

describe("readBodyText: refusals name what was wrong", () => {
  test.each<[string, Uint8Array | string, Record<string, string>, number, string]>([
    ["an unknown charset", utf8('{"a":1}'), { "content-type": "application/json; charset=Big5" }, 415, "charset big5"],
    ["latin-1", utf8('{"a":1}'), { "content-type": "application/json; charset=iso-8859-1" }, 415, "charset iso-8859-1"],
    ["bytes invalid in UTF-8", bytes('{"a":"', [0xff], '"}'), {}, 400, "not valid UTF-8"],
    ["GBK bytes sent as UTF-8", bytes('{"r":"', LIN_XIAO_YAN_GBK, '"}'), {}, 400, "not valid UTF-8"],
    ["bytes invalid in GBK", bytes('{"r":"', [0xc1], '"}'), { "content-type": "application/json; charset=gbk" }, 400, "not valid GBK"],
    ["GB18030's four-byte form declared as GBK", bytes('{"r":"', GRINNING_GB18030, '"}'), { "content-type": "application/json; charset=GBK" }, 400, "not valid GBK"],
    ["an unknown encoding", utf8('{"a":1}'), { "content-encoding": "compress" }, 415, "content encoding compress"],
    ["zstd", utf8('{"a":1}'), { "content-encoding": "zstd" }, 415, "content encoding zstd"],
    ["gzip declared, plain sent", utf8('{"a":1}'), { "content-encoding": "gzip" }, 400, "not valid gzip"],
    ["a truncated gzip", gzipSync(utf8('{"a":"' + "x".repeat(1000) + '"}')).subarray(0, 30), { "content-encoding": "gzip" }, 400, "not valid gzip"],
    ["a declared length over the limit", "{}", { "content-length": String(MAX_BODY_BYTES + 1) }, 413, `body larger than ${MAX_BODY_BYTES} bytes`],
    ["a streamed body over the limit", "x".repeat(MAX_BODY_BYTES + 1), {}, 413, `body larger than ${MAX_BODY_BYTES} bytes`],
  ])("%s", async (_, body, headers, status, named) => {
    const error = await refusal(() => readBodyText(request(body, headers)));
    expect(error.status).toBe(status);
    expect(error.message).toContain(named);
  });

  test("an undecodable body keeps a lossy preview for the exchange log", async () => {
    const error = await refusal(() => readBodyText(request(bytes('{"r":"', LIN_XIAO_YAN_GBK, '"}'))));
    expect(error).toBeInstanceOf(UnreadableBody);
    expect((error as UnreadableBody).preview).toBe('{"r":"\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd"}');
  });

  test.each(["gzip", "br", "deflate"])("a %s bomb stops at the limit after decompression, not before", async (coding) => {
    // 48 MiB of zeros compress to tens of KiB: under the limit on the wire, far over it inflated.
    const zeros = Buffer.alloc(48 * MAX_BODY_BYTES);
    const fast = { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } };
    const compress = { gzip: gzipSync, br: (data: Buffer) => brotliCompressSync(data, fast), deflate: deflateSync }[coding]!;
    const bomb = compress(zeros);
    expect(bomb.byteLength).toBeLessThan(MAX_BODY_BYTES);
    const heapBefore = process.memoryUsage().arrayBuffers;
    const error = await refusal(() => readBodyText(request(bomb, { "content-encoding": coding })));
    expect(error.status).toBe(413);
    // Streamed: nowhere near the 64 MiB the bomb inflates to was held at once.
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(16 * MAX_BODY_BYTES);
  });

  test("a body of exactly the limit after decompression is read", async () => {
    const text = `{"a":"${"x".repeat(MAX_BODY_BYTES - 8)}"}`;
    expect(Buffer.byteLength(text)).toBe(MAX_BODY_BYTES);
    const read = await readBodyText(request(gzipSync(utf8(text)), { "content-encoding": "gzip" }));
    expect(read.text).toHaveLength(MAX_BODY_BYTES);
  });
});

test.each([
  [null, undefined],
  ["application/json", undefined],
  ["application/json; charset=UTF-8", "utf-8"],
  ['application/json; Charset="GBK"', "gbk"],
  ["application/json;charset=gb18030;q=1", "gb18030"],
  ["text/plain; format=flowed; charset=gb2312", "gb2312"],
])("declaredCharset(%s) is %s", (contentType, charset) => {
  expect(declaredCharset(contentType)).toBe(charset);
});
