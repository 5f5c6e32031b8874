import { Readable, type Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from "node:zlib";
import { HubError, type HubErrorCode } from "@/server/errors";

// Bytes to text, the first half of reading a call (SPEC §3 "Reading a call"):
// content encoding, size limit, charset, byte-order mark.

/** The limit on a call's body, after decompression (SPEC §3). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What reading the bytes changed, for the exchange log; empty when the text is the received bytes as UTF-8. */
export type ReadChange =
  | { kind: "encoding"; detail: string }
  | { kind: "charset"; detail: string }
  | { kind: "bom" }
  | { kind: "trimmed"; path: string; from: string; to: string }
  | { kind: "emptied"; path: string; from: string };

export type BodyText = { text: string; changes: ReadChange[] };

// WHATWG labels Node's TextDecoder (full ICU) decodes; GB2312 is read as GBK,
// its superset, as browsers do. Anything else is refused rather than guessed.
const CHARSETS: Record<string, string> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "unicode-1-1-utf-8": "utf-8",
  gbk: "gbk",
  "x-gbk": "gbk",
  cp936: "gbk",
  gb2312: "gbk",
  "csgb2312": "gbk",
  gb18030: "gb18030",
};

const DECOMPRESSORS: Record<string, (firstByte: number, secondByte: number) => Transform> = {
  gzip: () => createGunzip(),
  "x-gzip": () => createGunzip(),
  // RFC 9110 says zlib-wrapped; some clients send raw deflate. The zlib header tells them apart.
  deflate: (b0, b1) => ((b0 & 0x0f) === 8 && ((b0 << 8) | b1) % 31 === 0 ? createInflate() : createInflateRaw()),
  br: () => createBrotliDecompress(),
};

/** A refusal while reading the bytes; `preview` is what the exchange log shows of them (lossy UTF-8, cut short). */
export class UnreadableBody extends HubError {
  constructor(
    code: HubErrorCode,
    message: string,
    readonly preview: string,
  ) {
    super(code, message);
  }
}

const PREVIEW_BYTES = 4096;
const previewOf = (bytes: Uint8Array) => new TextDecoder("utf-8").decode(bytes.subarray(0, PREVIEW_BYTES));

const tooLarge = () =>
  new HubError("payload_too_large", `请求体超过 ${MAX_BODY_BYTES / 1024} KB (body larger than ${MAX_BODY_BYTES} bytes)`);

/** The charset a Content-Type declares, lower-cased; undefined when none is declared. */
export function declaredCharset(contentType: string | null): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? "");
  const label = (match?.[1] ?? match?.[2])?.trim().toLowerCase();
  return label || undefined;
}

/** Content-Encoding as the list of codings applied, in the order they were applied; `identity` dropped. */
function codingsOf(contentEncoding: string | null, bytes: Uint8Array): string[] {
  const codings = (contentEncoding ?? "")
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding && coding !== "identity");
  for (const coding of codings) {
    if (!DECOMPRESSORS[coding]) {
      throw new UnreadableBody(
        "unsupported_media_type",
        `不支持的 Content-Encoding: ${coding.slice(0, 40)} (content encoding ${coding.slice(0, 40)} not supported; use gzip, deflate or br)`,
        previewOf(bytes),
      );
    }
  }
  return codings;
}

/** Reads a stream into one buffer, refusing (and stopping the stream) once it passes `limit` bytes. */
async function collect(chunks: AsyncIterable<Uint8Array>, limit: number, stop: () => void): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > limit) {
      stop();
      throw tooLarge();
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts, size);
}

async function decompress(compressed: Buffer, codings: string[]): Promise<Buffer> {
  let bytes = compressed;
  // Codings are listed in the order they were applied: undo the last first.
  for (const coding of [...codings].reverse()) {
    const decompressor = DECOMPRESSORS[coding]!(bytes[0] ?? 0, bytes[1] ?? 0);
    // Streamed in zlib's 16 KiB chunks, so a decompression bomb stops at the limit
    // instead of being inflated whole into memory first.
    const source = Readable.from([bytes]);
    source.pipe(decompressor);
    try {
      bytes = await collect(decompressor, MAX_BODY_BYTES, () => decompressor.destroy());
    } catch (error) {
      source.destroy();
      if (error instanceof HubError) throw error;
      throw new UnreadableBody(
        "invalid_json",
        `请求体不是合法的 ${coding} 数据 (body is not valid ${coding}: ${(error as Error).message})`,
        previewOf(compressed),
      );
    }
  }
  return bytes;
}

function decode(bytes: Buffer, label: string | undefined): BodyText {
  const changes: ReadChange[] = [];
  const encoding = label === undefined ? "utf-8" : CHARSETS[label];
  if (!encoding) {
    throw new UnreadableBody(
      "unsupported_media_type",
      `不支持的字符集 charset=${label!.slice(0, 40)} (charset ${label!.slice(0, 40)} not supported; use UTF-8, GBK or GB18030)`,
      previewOf(bytes),
    );
  }
  const named = label === undefined ? "UTF-8" : label.toUpperCase();
  let text: string;
  try {
    // ignoreBOM: the byte-order mark is removed below, where it is also noted.
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new UnreadableBody("invalid_json", `请求体不是合法的 ${named} 文本 (body is not valid ${named})`, previewOf(bytes));
  }
  if (encoding !== "utf-8") changes.push({ kind: "charset", detail: `${named} → UTF-8` });
  if (text.startsWith("\ufeff")) {
    text = text.slice(1);
    changes.push({ kind: "bom" });
  }
  return { text, changes };
}

/**
 * A call's body as text: decompressed by its Content-Encoding (gzip, deflate,
 * br), at most MAX_BODY_BYTES before and after decompression, decoded by the
 * charset its Content-Type declares (UTF-8 when none; GBK / GB2312 / GB18030),
 * a leading BOM dropped. A missing or non-JSON Content-Type is tolerated.
 * `changes` lists what was done beyond reading UTF-8 bytes as they are.
 * Throws HubError: 413 over the limit, 415 an unknown encoding or charset
 * (named), 400 bytes invalid in the declared charset or encoding (named).
 */
export async function readBodyText(request: Request): Promise<BodyText> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const body = request.body;
  let bytes = body ? await collect(iterate(body), MAX_BODY_BYTES, () => {}) : Buffer.alloc(0);
  // Read before refusing an encoding, so the exchange log shows what came.
  const codings = codingsOf(request.headers.get("content-encoding"), bytes);
  const label = declaredCharset(request.headers.get("content-type"));
  if (codings.length > 0) bytes = await decompress(bytes, codings);
  const read = decode(bytes, label);
  const encodingChanges: ReadChange[] = codings.map((coding) => ({ kind: "encoding", detail: coding }));
  return { text: read.text, changes: [...encodingChanges, ...read.changes] };
}

async function* iterate(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Stopped early (over the limit): tell the sender we will not read the rest.
    if (!finished) await reader.cancel().catch(() => {});
  }
}
