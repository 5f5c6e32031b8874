import { describe, expect, it } from "vitest";
import { diffPayloads, markCharacters, pathText } from "@/lib/payload-diff";

describe("diffPayloads", () => {
  it("names each changed field by its path, with before and after as JSON text", () => {
    const before = JSON.stringify({ dispatchNO: "D1", transfers: [{ packages: [{ waybillCode: "SF1002", items: [{ sn: "A" }] }] }], qty: 1 });
    const after = JSON.stringify({ dispatchNO: "D1", transfers: [{ packages: [{ waybillCode: "SF1O02", items: [{ sn: "A" }, { sn: "B" }] }] }], qty: "1" });
    expect(diffPayloads(before, after)).toEqual([
      { path: "transfers[0].packages[0].waybillCode", kind: "changed", before: '"SF1002"', after: '"SF1O02"' },
      { path: "transfers[0].packages[0].items[1]", kind: "added", after: '{"sn":"B"}' },
      // A number typed as text is a change a person must see: the quotes show it.
      { path: "qty", kind: "changed", before: "1", after: '"1"' },
    ]);
  });

  it("reports removed fields, nothing for an identical payload, and null when a side is not JSON", () => {
    expect(diffPayloads('{"a":1,"b":2}', '{"a":1}')).toEqual([{ path: "b", kind: "removed", before: "2" }]);
    expect(diffPayloads('{"a":[1,2]}', '{ "a": [1, 2] }')).toEqual([]);
    expect(diffPayloads('{"a":1}', '{"a":1,}')).toBeNull();
  });
});

describe("markCharacters", () => {
  it("marks only the characters that differ: a letter O typed for a zero is visible", () => {
    const marked = markCharacters('"SF1002"', '"SF1O02"');
    const text = (segments: { text: string; changed: boolean }[], changed: boolean) =>
      segments.filter((segment) => segment.changed === changed).map((segment) => segment.text).join("");
    expect(text(marked.before, true)).toBe("0");
    expect(text(marked.after, true)).toBe("O");
    // Unmarked and marked pieces together are each side's whole text.
    expect(marked.before.map((segment) => segment.text).join("")).toBe('"SF1002"');
    expect(marked.after.map((segment) => segment.text).join("")).toBe('"SF1O02"');
  });
});

describe("pathText", () => {
  it("writes array positions in brackets and keys with dots", () => {
    expect(pathText(["transfers", 0, "packages", 12, "sn"])).toBe("transfers[0].packages[12].sn");
    expect(pathText([])).toBe("");
  });
});
