import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import fc from "fast-check";

// Turns a valid partner body into the bodies a buggy or hostile partner sends:
// wrong types, missing fields, huge strings, deep nesting, awkward unicode,
// prototype-pollution keys, numbers JSON.stringify cannot write, broken text.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

// Tokens JSON.stringify cannot produce (1e309, -0, NaN, 100 000 levels of
// nesting): written as a marker string, spliced into the text afterwards.
const RAW_MARK = "\u2060raw:";
const raw = (token: string) => `${RAW_MARK}${token}\u2060`;
const RAW_PATTERN = new RegExp(`"${RAW_MARK}([^\u2060]*)\u2060"`, "g");

function expandRaw(token: string): string {
  const deep = /^deep:(\d+)$/.exec(token);
  if (deep) return `${"[".repeat(Number(deep[1]))}${"]".repeat(Number(deep[1]))}`;
  return token;
}

const awkwardStrings = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udc00y",
  "\u202eRTL override\u202c",
  "שלום עולם",
  "مرحبا",
  "👨‍👩‍👧‍👦".repeat(20),
  "\ufeffBOM",
  "NaN",
  "-0",
  "1e309",
  "null",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "\\",
  "${process.env}",
  // Codes as sloppy partners pad them (SPEC §3 trims ASCII whitespace and U+3000).
  " S001 ",
  "\u3000S002\u3000",
  "\t\n",
  "\u3000",
];

const nastyValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 2 ** 53 + 1, -(2 ** 31), [], {}, [null], [{}]) },
  { weight: 4, arbitrary: fc.constantFrom(...awkwardStrings) },
  { weight: 2, arbitrary: fc.constantFrom("1e309", "-1e309", "-0", "NaN", "Infinity", "1e-400").map(raw) },
  { weight: 1, arbitrary: fc.constantFrom("NaN", "undefined", "0x10", "01", "'text'").map(raw) },
  // Under the body limit, over the field limits; and (rarely) over the 1 MiB body limit.
  { weight: 2, arbitrary: fc.constantFrom(65, 101, 501).map((n) => "界".repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom(70_000, 1_100_000).map((n) => "x".repeat(n)) },
  { weight: 2, arbitrary: fc.constantFrom(33, 1000, 100_000).map((depth) => raw(`deep:${depth}`)) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
);

const pollutingKey = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf");
const extraKey = fc.oneof(pollutingKey, fc.string({ unit: "binary", maxLength: 12 }));

type Mutation =
  | { kind: "replace"; at: number; value: Json }
  | { kind: "delete"; at: number }
  | { kind: "add-key"; at: number; key: string; value: Json }
  | { kind: "wrap-in-array"; at: number }
  | { kind: "wrap-in-object"; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: nastyValue }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("add-key" as const), at: fc.nat(), key: extraKey, value: nastyValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("wrap-in-array" as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("wrap-in-object" as const), at: fc.nat() }) },
);

type TextDamage = "none" | "truncate" | "trailing-comma" | "duplicate-key" | "deep-duplicate-key" | "raw-control-char";
const textDamage = fc.oneof(
  { weight: 12, arbitrary: fc.constant<TextDamage>("none") },
  {
    weight: 2,
    arbitrary: fc.constantFrom<TextDamage>("truncate", "trailing-comma", "duplicate-key", "deep-duplicate-key", "raw-control-char"),
  },
);

/** Every place a mutation can hit: the body itself, each property, each element. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  const paths: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsOf(item, [...prefix, index])));
  else if (value && typeof value === "object") {
    for (const key of Object.keys(value)) paths.push(...pathsOf(value[key]!, [...prefix, key]));
  }
  return paths;
}

const getAt = (value: Json, path: Path): Json =>
  path.reduce<Json>((current, key) => (current as Record<string | number, Json>)[key]!, value);

/** Sets an own, enumerable property even for "__proto__", so JSON.stringify writes it like any key. */
function setOwn(target: Record<string | number, Json> | Json[], key: string | number, value: Json) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function applyMutation(body: Json, change: Mutation): Json {
  const paths = pathsOf(body);
  const path = paths[change.at % paths.length]!;
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const current = getAt(body, path);
  const replaceWith = (value: Json): Json => {
    if (key === undefined) return value;
    setOwn(getAt(body, parentPath) as Record<string, Json>, key, value);
    return body;
  };
  switch (change.kind) {
    case "replace":
      return replaceWith(change.value);
    case "delete": {
      if (key === undefined) return body;
      const parent = getAt(body, parentPath);
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, Json>)[key];
      return body;
    }
    case "add-key": {
      const target = current && typeof current === "object" && !Array.isArray(current) ? current : body;
      if (target && typeof target === "object" && !Array.isArray(target)) setOwn(target, change.key, change.value);
      return body;
    }
    case "wrap-in-array":
      return replaceWith([current]);
    case "wrap-in-object":
      return replaceWith({ value: current });
  }
}

function damageText(text: string, damage: TextDamage, position: number): string {
  switch (damage) {
    case "none":
      return text;
    case "truncate":
      return text.slice(0, position % Math.max(1, text.length));
    case "trailing-comma":
      return text.endsWith("}") ? `${text.slice(0, -1)},}` : `${text},`;
    case "duplicate-key":
      return text.startsWith("{") ? `{"dispatchNO":1,${text.slice(1)}` : text;
    case "deep-duplicate-key": {
      // Repeat the first key of some object, possibly nested in arrays, with another value.
      const openings = [...text.matchAll(/\{("(?:[^"\\]|\\.)*"):/g)];
      const chosen = openings[position % Math.max(1, openings.length)];
      if (!chosen) return text;
      const at = chosen.index + 1;
      return `${text.slice(0, at)}${chosen[1]}:"other copy",${text.slice(at)}`;
    }
    case "raw-control-char":
      return text.replace(":", ":\u0000");
  }
}

/** How the text goes on the wire: charset, content encoding, byte-order mark (SPEC §3 "Bytes to text"). */
type Wire =
  | "utf-8"
  | "bom"
  | "declared-utf-8"
  | "gbk"
  | "gb18030"
  | "unknown-charset"
  | "gzip"
  | "deflate"
  | "br"
  | "gzip-bom"
  | "gzip-declared-plain-sent"
  | "unknown-encoding"
  | "text-plain";

const wire = fc.oneof(
  { weight: 10, arbitrary: fc.constant<Wire>("utf-8") },
  {
    weight: 4,
    arbitrary: fc.constantFrom<Wire>(
      "bom",
      "declared-utf-8",
      "gbk",
      "gb18030",
      "unknown-charset",
      "gzip",
      "deflate",
      "br",
      "gzip-bom",
      "gzip-declared-plain-sent",
      "unknown-encoding",
      "text-plain",
    ),
  },
);

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const json = (charset?: string) => ({ "content-type": charset ? `application/json; charset=${charset}` : "application/json" });

/** A text as a partner might put it on the wire. GBK / GB18030 carry the UTF-8 bytes: right for ASCII, invalid (or mojibake) beyond. */
export function onTheWire(text: string, how: Wire): PartnerCall {
  const utf8 = Buffer.from(text, "utf8");
  switch (how) {
    case "utf-8":
      return { body: text, headers: json() };
    case "bom":
      return { body: Buffer.concat([BOM, utf8]), headers: json() };
    case "declared-utf-8":
      return { body: utf8, headers: json("UTF-8") };
    case "gbk":
      return { body: utf8, headers: json("GBK") };
    case "gb18030":
      return { body: utf8, headers: json("gb18030") };
    case "unknown-charset":
      return { body: utf8, headers: json("iso-8859-1") };
    case "gzip":
      return { body: gzipSync(utf8), headers: { ...json(), "content-encoding": "gzip" } };
    case "deflate":
      return { body: deflateSync(utf8), headers: { ...json(), "content-encoding": "deflate" } };
    case "br":
      return { body: brotliCompressSync(utf8), headers: { ...json(), "content-encoding": "br" } };
    case "gzip-bom":
      return { body: gzipSync(Buffer.concat([BOM, utf8])), headers: { ...json(), "content-encoding": "gzip" } };
    case "gzip-declared-plain-sent":
      return { body: utf8, headers: { ...json(), "content-encoding": "gzip" } };
    case "unknown-encoding":
      return { body: utf8, headers: { ...json(), "content-encoding": "compress" } };
    case "text-plain":
      return { body: utf8, headers: { "content-type": "text/plain" } };
  }
}

export type PartnerCall = { body: string | Uint8Array; headers: Record<string, string> };

/** Mutated bodies (see mutatedBodyText) put on the wire in the ways real partners do. */
export function mutatedCall(valid: () => Record<string, unknown>): fc.Arbitrary<PartnerCall> {
  return mutatedCallIn(() => null, valid).map(({ call }) => call);
}

/**
 * Like mutatedCall, each body made from a fresh `context` (new notice numbers, serials, waybills…),
 * returned beside the call so a test can first create what the valid body talks about.
 */
export function mutatedCallIn<C>(context: () => C, valid: (context: C) => Record<string, unknown>): fc.Arbitrary<{ context: C; call: PartnerCall }> {
  return fc.tuple(fc.array(mutation, { minLength: 1, maxLength: 3 }), textDamage, fc.nat(), wire).map(([changes, damage, position, how]) => {
    const fresh = context();
    return { context: fresh, call: onTheWire(mutateText(valid(fresh), changes, damage, position), how) };
  });
}

/** Request bodies (as text) derived from a valid body by one to three mutations, sometimes with the text itself damaged. */
export function mutatedBodyText(valid: () => Record<string, unknown>): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(mutation, { minLength: 1, maxLength: 3 }), textDamage, fc.nat())
    .map(([changes, damage, position]) => mutateText(valid(), changes, damage, position));
}

function mutateText(valid: Record<string, unknown>, changes: Mutation[], damage: TextDamage, position: number): string {
  const body = changes.reduce<Json>((current, change) => applyMutation(current, change), structuredClone(valid) as Json);
  const text = JSON.stringify(body).replace(RAW_PATTERN, (_, token: string) => expandRaw(token));
  return damageText(text, damage, position);
}
