// Errors in the words of what to do about them (issue 12: "fetch failed:
// ECONNREFUSED" and "Too small: expected array" are not for the shop floor).
// The one place pages turn a delivery error or a validation message into text;
// the raw text stays available as a hint for whoever asks the other side.

import type { Translate } from "@/lib/i18n/messages";
import type { MessageKey } from "@/lib/i18n/zh-cn";
import { failureKindOf } from "@/lib/failure-kinds";

/**
 * What a failed or refused delivery needs, in the reader's language.
 * @param failure the delivery's (or attempt's) recorded `error`, its HTTP status
 *   (`lastStatus` / `httpStatus`; when absent it is read from "HTTP 502" in the
 *   error), and the other side's `msg` when it refused ({"success":false}).
 * @returns null when there is nothing to explain (no error, no msg).
 * Kinds and their reading: lib/failure-kinds.ts (SPEC §8).
 */
export function explainFailure(
  failure: { error?: string | null; httpStatus?: number | null; msg?: string | null },
  t: Translate,
): string | null {
  if (failure.msg) return t("failureHelp.rejected", { msg: failure.msg });
  if (!failure.error && !failure.httpStatus) return null;
  const fromText = /\bHTTP (\d{3})\b/.exec(failure.error ?? "")?.[1];
  const httpStatus = failure.httpStatus ?? (fromText ? Number(fromText) : null);
  const kind = failureKindOf({ outcome: "failed", httpStatus, error: failure.error ?? null });
  return t(`failureHelp.${kind}`, { status: httpStatus ?? "" });
}

// zod 4's English issue messages, as the partner routes (server/partner/read-request.ts)
// and the dashboard's input checks report them.
const ISSUES: [RegExp, (match: RegExpExecArray) => { key: MessageKey; vars: Record<string, string> }][] = [
  [/^Invalid input: expected (\w+), received (undefined|null)$/, (m) => ({ key: "validation.missing", vars: { type: m[1]! } })],
  // "expected int, received number" is a wrong number, not a wrong type: before the general rule.
  [/^Invalid input: expected int, received number$/, () => ({ key: "validation.notInteger", vars: {} })],
  [/^Invalid input: expected (\w+), received (\w+)$/, (m) => ({ key: "validation.wrongType", vars: { type: m[1]!, got: m[2]! } })],
  [/^Too small: expected (?:array|set) to have >=?(\d+) items?$/, (m) => ({ key: "validation.tooFewItems", vars: { n: m[1]! } })],
  [/^Too big: expected (?:array|set) to have <=?(\d+) items?$/, (m) => ({ key: "validation.tooManyItems", vars: { n: m[1]! } })],
  [/^Too small: expected string to have >=?(\d+) characters?$/, (m) => ({ key: "validation.tooShort", vars: { n: m[1]! } })],
  [/^Too big: expected string to have <=?(\d+) characters?$/, (m) => ({ key: "validation.tooLong", vars: { n: m[1]! } })],
  [/^Too small: expected (?:number|int|bigint) to be >=?(-?[\d.]+)$/, (m) => ({ key: "validation.tooSmall", vars: { n: m[1]! } })],
  [/^Too big: expected (?:number|int|bigint) to be <=?(-?[\d.]+)$/, (m) => ({ key: "validation.tooBig", vars: { n: m[1]! } })],
  [/^Unrecognized keys?:/, () => ({ key: "validation.unknownKey", vars: {} })],
  [/^Invalid option:/, () => ({ key: "validation.invalidOption", vars: {} })],
  [/^Invalid (string|format)/, () => ({ key: "validation.badFormat", vars: {} })],
];

const TYPES = new Set(["string", "number", "int", "boolean", "array", "object", "undefined", "null"]);

/**
 * One validation issue ("items", "Too small: expected array to have >=1 items")
 * in field-level words: "items 至少要有 1 项". An unknown message is kept as is
 * after the field name.
 */
export function explainIssue(field: string, message: string, t: Translate): string {
  const name = field && field !== "(body)" ? field : t("validation.body");
  const typeWord = (type: string) => (TYPES.has(type) ? t(`type.${type}` as MessageKey) : type);
  for (const [pattern, build] of ISSUES) {
    const match = pattern.exec(message);
    if (!match) continue;
    const { key, vars } = build(match);
    return t(key, { ...vars, field: name, ...(vars.type ? { type: typeWord(vars.type) } : {}), ...(vars.got ? { got: typeWord(vars.got) } : {}) });
  }
  return `${name}: ${message}`;
}

/**
 * The hub's 400 answer to a partner ("参数错误 items: Too small: expected array
 * to have >=1 items; phone: …", server/partner/read-request.ts parseMessage)
 * read back in the reader's language, one issue per "; ". Any other text is
 * returned unchanged.
 */
export function explainAnswerMessage(text: string, t: Translate): string {
  const match = /^参数错误 (.+?)(?: \(\+(\d+) more\))?$/.exec(text);
  if (!match || !/: /.test(match[1]!)) return text;
  const issues = match[1]!.split("; ").map((issue) => {
    const at = issue.indexOf(": ");
    return at < 0 ? issue : explainIssue(issue.slice(0, at), issue.slice(at + 2), t);
  });
  return `${t("validation.prefix")}${issues.join(t("validation.separator"))}${match[2] ? t("validation.more", { n: match[2] }) : ""}`;
}
