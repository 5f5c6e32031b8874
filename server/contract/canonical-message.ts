import type { z } from "zod";
import type { ReadChange } from "@/server/contract/read-body";
import { parseMessage } from "@/server/contract/read-request";

// Text to the one canonical message (SPEC §3 "Reading a call"): what the rules,
// the shop check, the idempotency identity, the 发货通知单号重复 comparison and
// the forwarded payload all use.

export type CanonicalCall<M = unknown> = {
  /** The contract's fields, trimmed (ASCII whitespace and U+3000), blank optional fields absent. */
  message: M;
  /** The text delivered to the other side: the received text when reading changed no value, else the normalised JSON. */
  forwardPayload: string;
  /** Everything reading changed, bytes and values, for the exchange log; empty when the call was taken as sent. */
  changes: ReadChange[];
};

const ABSENT = Symbol("absent");
type Reconciled = { canonical: unknown; forward: unknown };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// `__proto__` from a partner is an ordinary key (JSON.parse makes it one), never a prototype.
const put = (target: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

const at = (path: string, key: string | number) =>
  typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/**
 * Walks the received value beside the schema's reading of it. Values the
 * schema changed (trimmed) take the schema's value in both; a blank optional
 * (the schema gives "" only for optional fields: required ones have min(1))
 * and null count as absent; keys the schema does not know are forwarded as
 * sent and left out of the canonical message.
 */
function reconcile(raw: unknown, parsed: unknown, path: string, changes: ReadChange[]): Reconciled {
  if (Array.isArray(raw) && Array.isArray(parsed)) {
    const items = raw.map((item, index) => reconcile(item, parsed[index], at(path, index), changes));
    return { canonical: items.map((item) => item.canonical), forward: items.map((item) => item.forward) };
  }
  if (isObject(raw) && isObject(parsed)) {
    const canonical: Record<string, unknown> = {};
    const forward: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (!Object.hasOwn(parsed, key)) {
        put(forward, key, value);
        continue;
      }
      const item = reconcile(value, parsed[key], at(path, key), changes);
      if (item.canonical !== ABSENT) put(canonical, key, item.canonical);
      if (item.forward !== ABSENT) put(forward, key, item.forward);
    }
    return { canonical, forward };
  }
  if (parsed === null || parsed === undefined) return { canonical: ABSENT, forward: raw };
  if (typeof parsed === "string" && typeof raw === "string") {
    if (parsed === "") {
      if (raw === "") return { canonical: ABSENT, forward: raw };
      changes.push({ kind: "emptied", path, from: raw });
      return { canonical: ABSENT, forward: ABSENT };
    }
    if (parsed !== raw) changes.push({ kind: "trimmed", path, from: raw, to: parsed });
    return { canonical: parsed, forward: parsed };
  }
  return { canonical: parsed, forward: raw };
}

/**
 * Validates a parsed body against the endpoint's schema and reads it into the
 * canonical message. `bodyText` is the decoded text the body was parsed from;
 * `readChanges` what decoding it changed (charset, encoding, BOM).
 * Throws HubError invalid_body (400) naming each wrong field, as parseMessage.
 */
export function readCanonicalMessage<S extends z.ZodType>(
  schema: S,
  body: Record<string, unknown>,
  bodyText: string,
  readChanges: ReadChange[],
): CanonicalCall<z.output<S>> {
  const parsed = parseMessage(schema, body);
  const valueChanges: ReadChange[] = [];
  const { canonical, forward } = reconcile(body, parsed, "", valueChanges);
  return {
    message: canonical as z.output<S>,
    // Unchanged values: the received text, byte for byte once it is UTF-8.
    forwardPayload: valueChanges.length > 0 ? JSON.stringify(forward) : bodyText,
    changes: [...readChanges, ...valueChanges],
  };
}
