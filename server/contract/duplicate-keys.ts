import { tokenize } from "@humanwhocodes/momoa";

// JSON.parse keeps the last copy of a repeated key without a word; other
// parsers keep the first. The hub must not check one copy while the other
// side acts on the other (SPEC §3 "Text to JSON"), so repeats are found here
// from the token stream (momoa's tokenizer: iterative, so depth cannot blow
// the stack).

type Frame = { kind: "object"; keys: Set<string>; key?: string } | { kind: "array"; index: number };

const pathOf = (stack: Frame[]) =>
  stack.reduce((path, frame) => {
    if (frame.kind === "array") return `${path}[${frame.index}]`;
    return frame.key === undefined ? path : path ? `${path}.${frame.key}` : frame.key;
  }, "");

/**
 * The path (`items[0].sn`, `dispatchNO`) of the first key that appears twice
 * in one object, at any depth, compared after unescaping (`"a"` and `"\u0061"`
 * are one key); undefined when there is none. `text` must already be valid
 * JSON (JSON.parse accepted it). Linear in the text's length.
 */
export function findDuplicateKey(text: string): string | undefined {
  const tokens = tokenize(text, { mode: "json", ranges: false });
  const stack: Frame[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const top = stack.at(-1);
    switch (token.type) {
      case "LBrace":
        stack.push({ kind: "object", keys: new Set() });
        break;
      case "LBracket":
        stack.push({ kind: "array", index: 0 });
        break;
      case "RBrace":
      case "RBracket":
        stack.pop();
        break;
      case "Comma":
        if (top?.kind === "array") top.index++;
        break;
      case "String":
        if (top?.kind === "object" && tokens[i + 1]?.type === "Colon") {
          const key = JSON.parse(text.slice(token.loc.start.offset, token.loc.end.offset)) as string;
          top.key = key;
          if (top.keys.has(key)) return pathOf(stack);
          top.keys.add(key);
        }
        break;
    }
  }
  return undefined;
}
