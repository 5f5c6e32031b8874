import { createHash } from "node:crypto";
import type { z } from "zod";
import { HubError } from "@/server/errors";
import { findDuplicateKey } from "@/server/contract/duplicate-keys";

/**
 * Postgres text cannot hold U+0000 and its jsonb refuses unpaired surrogates;
 * the parser's message quotes the body, so it is made storable too.
 */
// eslint-disable-next-line no-control-regex -- NUL is the one character PostgreSQL text cannot store: matching it is the point
const UNSTORABLE_CHARS = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const storableText = (text: string) => text.replace(UNSTORABLE_CHARS, "\ufffd");

// No partner message nests deeper than 5; hashing a body walks it recursively.
const MAX_JSON_DEPTH = 32;

/** The first value a partner body may not carry: too deep, or a string the database cannot store. */
function findUnstorable(body: unknown): string | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: "", depth: 0 }];
  const unstorable = (text: string) => storableText(text) !== text;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path, depth } = next;
    if (depth > MAX_JSON_DEPTH) return `${path}: 嵌套超过 ${MAX_JSON_DEPTH} 层 (JSON nested deeper than ${MAX_JSON_DEPTH} levels)`;
    if (typeof value === "string" && unstorable(value)) {
      return `${path || "(body)"}: 含有 \\u0000 或不成对的代理项 (JSON string with NUL or an unpaired surrogate)`;
    }
    if (Array.isArray(value)) value.forEach((item, index) => pending.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 }));
    else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key;
        if (unstorable(key)) return `${storableText(at)}: 键含有 \\u0000 或不成对的代理项 (JSON key with NUL or an unpaired surrogate)`;
        pending.push({ value: item, path: at, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/**
 * A body's text as a JSON object. Throws HubError invalid_json (400): not JSON,
 * not an object, nested deeper than 32, a string Postgres cannot store, or a
 * key twice in one object (named by its path; SPEC §3 "Text to JSON").
 */
export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HubError("invalid_json", storableText(`请求体不是合法的 JSON: ${(error as Error).message}`));
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HubError("invalid_json", "请求体必须是 JSON 对象 (body must be a JSON object)");
  }
  const problem = findUnstorable(value);
  if (problem) throw new HubError("invalid_json", `参数错误 ${problem}`);
  // After the depth check: the scan is linear, but no deeper than the value it vouches for.
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    throw new HubError(
      "invalid_json",
      `参数错误 ${storableText(duplicate)}: 键重复出现 (key appears twice in one object; the other side might read the other copy)`,
    );
  }
  return value as Record<string, unknown>;
}

const formatPath = (path: readonly PropertyKey[]) =>
  path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    "",
  ) || "(body)";

/** Validates a message; the 400 names each field that is wrong and why. */
export function parseMessage<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more = result.error.issues.length > 5 ? ` (+${result.error.issues.length - 5} more)` : "";
  throw new HubError("invalid_body", `参数错误 ${problems.join("; ")}${more}`);
}

/** JSON with keys sorted at every level: two bodies that mean the same thing hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

export function idempotencyKey(side: string, path: string, body: unknown): string {
  return createHash("sha256").update(`${side}\n${path}\n${canonicalJson(body)}`).digest("hex");
}

const LOGGED_HEADERS = ["content-type", "content-length", "user-agent", "x-request-id", "x-forwarded-for", "x-real-ip"];

/** The headers worth keeping for ops. Never the Authorization header. */
export function headersWorthLogging(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of LOGGED_HEADERS) {
    const value = headers.get(name);
    if (value !== null) kept[name] = value.slice(0, 500);
  }
  return kept;
}
