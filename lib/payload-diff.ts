import { diffChars } from "diff";
import diff from "microdiff";

/**
 * Field-level diff of two JSON payloads, for edit & resend (SPEC §5: old and
 * new kept) and its audit: which fields changed, as paths a person can read
 * (`transfers[0].packages[1].waybillCode`), with before and after as JSON
 * text (so "0" and 0, or a letter O and a zero, stay distinguishable), and
 * the characters that differ marked.
 *
 * Library choice: microdiff (structural diff of parsed values) and jsdiff's
 * diffChars (characters within one value) — both small and widely used.
 */
export type FieldChange = {
  /** Dotted path with array positions, e.g. `items[2].sn`; "" for the whole payload. */
  path: string;
  kind: "changed" | "added" | "removed";
  /** The value before, as compact JSON text; undefined for an added field. */
  before?: string;
  /** The value after, as compact JSON text; undefined for a removed field. */
  after?: string;
};

/** A piece of a value's text; `changed` pieces are the characters that differ from the other side. */
export type Segment = { text: string; changed: boolean };

/** `["transfers", 0, "waybillCode"]` → `transfers[0].waybillCode`. */
export function pathText(path: (string | number)[]): string {
  return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${key}` : key), "");
}

/**
 * The fields that differ between two JSON texts, in document order of the
 * diff. Returns null when either text is not JSON (the editor shows the parse
 * error instead). Whole-value replacement (an object became a string) is one
 * "changed" entry.
 */
export function diffPayloads(beforeText: string, afterText: string): FieldChange[] | null {
  let before: unknown;
  let after: unknown;
  try {
    before = JSON.parse(beforeText);
    after = JSON.parse(afterText);
  } catch {
    return null;
  }
  if (!isContainer(before) || !isContainer(after)) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: "", kind: "changed", before: JSON.stringify(before), after: JSON.stringify(after) }];
  }
  return diff(before, after).map((change) => {
    const path = pathText(change.path);
    if (change.type === "CREATE") return { path, kind: "added", after: JSON.stringify(change.value) };
    if (change.type === "REMOVE") return { path, kind: "removed", before: JSON.stringify(change.oldValue) };
    return { path, kind: "changed", before: JSON.stringify(change.oldValue), after: JSON.stringify(change.value) };
  });
}

const isContainer = (value: unknown): value is Record<string, unknown> | unknown[] => typeof value === "object" && value !== null;

/** Both sides of one changed value cut into segments, the differing characters marked on each side. */
export function markCharacters(before: string, after: string): { before: Segment[]; after: Segment[] } {
  const marked = { before: [] as Segment[], after: [] as Segment[] };
  for (const part of diffChars(before, after)) {
    if (!part.added) marked.before.push({ text: part.value, changed: Boolean(part.removed) });
    if (!part.removed) marked.after.push({ text: part.value, changed: Boolean(part.added) });
  }
  return marked;
}
