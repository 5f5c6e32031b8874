import { describe, expect, it } from "vitest";
import { findJsonSyntaxError } from "@/lib/json-syntax";

describe("findJsonSyntaxError", () => {
  it("is null for valid JSON", () => {
    expect(findJsonSyntaxError('{\n  "a": [1, 2]\n}')).toBeNull();
  });

  it("gives the line and column of a trailing comma and the character found there", () => {
    expect(findJsonSyntaxError('{\n  "a": 1,\n  "b": 2,\n}')).toEqual({ line: 4, column: 1, found: "}" });
  });

  it("says when the text ends too early", () => {
    expect(findJsonSyntaxError('{\n  "a": [1, 2]')).toEqual({ line: 2, column: 14, found: null });
  });

  it("points at a stray character, counting columns from 1", () => {
    expect(findJsonSyntaxError('{"a": 1O}')).toEqual({ line: 1, column: 8, found: "O" });
  });
});
