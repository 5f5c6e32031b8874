import { declaredCharset } from "@/server/contract/read-body";

// Reading an answer from the other side (SPEC §3 "Reading an answer"): the same
// tolerance the hub shows callers, applied outward, before classification.

// Labels Node's TextDecoder (full ICU) knows and partners use; GB2312 is read as GBK, its superset.
const ANSWER_CHARSETS: Record<string, string> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  gbk: "gbk",
  "x-gbk": "gbk",
  cp936: "gbk",
  gb2312: "gbk",
  gb18030: "gb18030",
};

/**
 * An answer's bytes as text: decoded by the charset its Content-Type declares
 * (UTF-8 when none or one we do not know), a leading BOM dropped. Never
 * throws: bytes invalid in the charset become U+FFFD, so ops still see the rest.
 */
export function decodeAnswer(bytes: Uint8Array, contentType: string | null): string {
  const label = declaredCharset(contentType);
  const encoding = (label && ANSWER_CHARSETS[label]) ?? "utf-8";
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
  return text.startsWith("\ufeff") ? text.slice(1) : text;
}

export type PartnerReply = { success: boolean; msg?: string };

/** What an answer's text came to: a reply, or why it is none (the problems page groups by that). */
export type ReadReply = { reply: PartnerReply } | { none: "not_json" | "no_success" };

const BOOLEAN_TEXT: Record<string, boolean> = { true: true, false: false };

/**
 * The other side's `{"success": …, "msg": …}`: `success` a boolean, or the
 * strings "true" / "false" in any case (surrounding spaces ignored); a BOM
 * before the JSON ignored. Anything else — not JSON (`not_json`: empty, HTML
 * from a proxy), or JSON without a readable `success` (`no_success`) — is no
 * answer at all (SPEC §3 "Reading an answer") and is retried.
 */
export function readReply(text: string): ReadReply {
  let value: unknown;
  try {
    value = JSON.parse(text.startsWith("\ufeff") ? text.slice(1) : text);
  } catch {
    return { none: "not_json" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { none: "no_success" };
  const { success, msg } = value as { success?: unknown; msg?: unknown };
  const flag = typeof success === "boolean" ? success : typeof success === "string" ? BOOLEAN_TEXT[success.trim().toLowerCase()] : undefined;
  if (flag === undefined) return { none: "no_success" };
  return { reply: typeof msg === "string" ? { success: flag, msg } : { success: flag } };
}
