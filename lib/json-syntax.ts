import { parse } from "@humanwhocodes/momoa";

/**
 * Where a JSON text stops being JSON, as a person finds it in an editor:
 * line and column (1-based), and the character found there (null at the end
 * of the text: something is missing, e.g. a closing brace). Null when the text
 * is valid JSON. Uses momoa's parser (already the hub's JSON tokenizer,
 * server/partner/duplicate-keys.ts), whose errors carry line and column —
 * JSON.parse gives only an English message with a character offset.
 */
export function findJsonSyntaxError(text: string): { line: number; column: number; found: string | null } | null {
  try {
    parse(text, { mode: "json" });
    return null;
  } catch (error) {
    const { line, column, offset, message } = error as { line?: number; column?: number; offset?: number; message?: string };
    if (typeof line !== "number" || typeof column !== "number") return { line: 1, column: 1, found: null };
    // momoa's end-of-input error points at the last token read; the person needs to know the end came too soon.
    const atEnd = message?.startsWith("Unexpected end of input") || typeof offset !== "number" || offset >= text.length;
    const found = atEnd ? null : String.fromCodePoint(text.codePointAt(offset)!);
    return { line, column, found };
  }
}
