import { HubError } from "@/server/errors";
import { endpointFor } from "@/server/contract/endpoints";
import { readCanonicalMessage } from "@/server/contract/canonical-message";
import { parseJsonObject, parseMessage } from "@/server/contract/read-request";

/**
 * What an operator may change with "edit & resend" (SPEC §10: a payload's
 * content, never its identity).
 *
 * - The edited payload must pass the endpoint's own schema, like a partner's call.
 * - Identity stays: `dispatchNO` and, where the message has one, `shopCode`
 *   must equal the delivery's current payload (trimmed, as the schema reads
 *   them), and `dispatchNO` must be the notice's.
 * - Fields outside the contract: the ones the partner sent are kept and may be
 *   changed (SPEC §3: the hub relays them as sent); an operator may not add new
 *   ones — an added key at any depth is refused, naming its path, because the
 *   other side might read it and the hub would not.
 */
export const IDENTITY_FIELDS = ["dispatchNO", "shopCode"] as const;

export type EditCheck = {
  /** Delivery path, e.g. "/pos/ordermake" (picks the schema). */
  path: string;
  /** The delivery's payload before the edit (what the partner sent, or the last edit). */
  before: string;
  /** The operator's edited payload, JSON text. */
  after: string;
  /** The dispatchNO of the delivery's notice, when it has one. */
  noticeDispatchNo: string | null;
};

/**
 * Checks an edited payload. Returns the text to deliver: the canonical reading
 * of the edit (SPEC §3), as for a partner's call — a code typed with a stray or
 * full-width space is checked trimmed, so it is also sent trimmed; an edit that
 * changed no value is sent as typed. Throws HubError("invalid_body") whose
 * message names the field and why (zh-CN first, English in brackets, like the
 * partner API's 400s).
 */
export function checkEditedPayload(input: EditCheck): string {
  const schema = endpointFor(input.path).schema;
  const raw = parseJsonObject(input.after);
  const edited = parseMessage(schema, raw) as Record<string, unknown>;
  const original = readOriginal(schema, input.before);

  for (const field of IDENTITY_FIELDS) {
    const was = original.parsed[field];
    const now = edited[field];
    if (was === undefined && now === undefined) continue;
    if (was !== now) {
      throw new HubError(
        "invalid_body",
        `${field}: 不能修改 (原为 ${JSON.stringify(was ?? null)}, 改为 ${JSON.stringify(now ?? null)}) — 编辑重发只能修改内容, 不能改变单据身份 (identity fields cannot be changed)`,
      );
    }
  }
  if (input.noticeDispatchNo !== null && edited.dispatchNO !== undefined && edited.dispatchNO !== input.noticeDispatchNo) {
    throw new HubError("invalid_body", `dispatchNO: 必须是本通知单 ${input.noticeDispatchNo} (must be the delivery's notice)`);
  }

  const known = keyPaths(edited);
  const partnerExtras = new Set([...keyPaths(original.raw)].filter((path) => !original.known.has(path)));
  const addedAll = new Set([...keyPaths(raw)].filter((path) => !known.has(path) && !partnerExtras.has(path)));
  // Name the outermost added key, not each key inside it.
  const parentOf = (path: string) => path.replace(/(\[\])*\.[^.]+$/, "");
  const added = [...addedAll].filter((path) => parentOf(path) === path || !addedAll.has(parentOf(path)));
  if (added.length > 0) {
    throw new HubError(
      "invalid_body",
      `${added.slice(0, 5).join(", ")}: 接口文档之外的字段, 不能新增 (fields outside the contract cannot be added by an edit)`,
    );
  }  return readCanonicalMessage(schema, raw, input.after, []).forwardPayload;
}

function readOriginal(schema: Parameters<typeof parseMessage>[0], text: string) {
  let raw: Record<string, unknown> = {};
  try {
    raw = parseJsonObject(text);
  } catch {
    // A stored payload always parsed once; if it no longer does, nothing of it is "known".
  }
  const result = schema.safeParse(raw);
  // Accepted under an older schema: its raw (trimmed) values are still its identity.
  const parsed = (result.success ? result.data : trimmedTop(raw)) as Record<string, unknown>;
  return { raw, parsed, known: keyPaths(parsed) };
}

const trimmedTop = (raw: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, typeof value === "string" ? value.trim() : value]));

/** Every key's path in a JSON value, array positions folded to `[]` (`transfers[].packages[].items[].sn`). */
export function keyPaths(value: unknown, prefix = "", into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) keyPaths(item, `${prefix}[]`, into);
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      into.add(path);
      keyPaths(item, path, into);
    }
  }
  return into;
}
