/**
 * Odd input the database would refuse with an error that quotes the SQL and its
 * parameters: a NUL character (PostgreSQL text cannot hold U+0000) and dates
 * PostgreSQL or `Date#toISOString` cannot round-trip. Refused up front as a
 * 400-class error instead (SPEC §10: "odd input (NUL, out-of-range dates) is a 400").
 */
import { z } from "zod";


/** Earliest and latest instant a dashboard filter may name (UTC, ms since epoch). */
export const EARLIEST_DATE_MS = Date.UTC(1970, 0, 1);
export const LATEST_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const NUL = "\u0000";

/** A string without NUL, at most `max` characters; trimmed unless `trim: false`. */
export const safeText = (max: number, { trim = true } = {}) =>
  (trim ? z.string().trim() : z.string())
    .max(max)
    .refine((value) => !value.includes(NUL), { message: "不能包含 NUL 字符 (must not contain a NUL character)" });

/** A valid date between 1970 and 9999 (UTC). */
export const safeDate = () =>
  z
    .date()
    .min(new Date(EARLIEST_DATE_MS), { message: "日期超出范围 (date out of range)" })
    .max(new Date(LATEST_DATE_MS), { message: "日期超出范围 (date out of range)" });

/**
 * Walks a procedure's raw (already deserialised) input and names the first
 * odd value: a string holding NUL, an invalid date or one outside
 * [EARLIEST_DATE_MS, LATEST_DATE_MS]. Returns the path ("filter.term") or null.
 * Object keys are checked too; nesting deeper than 20 levels counts as odd.
 */
export function findOddInput(value: unknown, path = "", depth = 0): string | null {
  if (depth > 20) return path || "(input)";
  if (typeof value === "string") return value.includes(NUL) ? path || "(input)" : null;
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) || ms < EARLIEST_DATE_MS || ms > LATEST_DATE_MS ? path || "(input)" : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findOddInput(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (key.includes(NUL)) return at.replaceAll(NUL, "\\0");
      const found = findOddInput(item, at, depth + 1);
      if (found) return found;
    }
  }
  return null;
}
