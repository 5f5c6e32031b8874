import madge from "madge";
import { beforeAll, expect, test } from "vitest";

// README "Code map": the direction server/'s folders depend in. The message
// contract (schemas, endpoint table, how a body is read) is at the bottom; notice
// rules and delivery sit on it without knowing each other; the void rule uses
// both; the partner routes sit on top. Type-only imports count too: a circle of
// types is still a circle a reader has to hold in their head.

/** Folders of server/ that a folder must never import from, because they depend on it. */
const MUST_NOT_IMPORT: Record<string, string[]> = {
  contract: ["notices", "delivery", "void", "partner", "problems", "dashboard", "api"],
  notices: ["delivery", "void", "partner"],
  delivery: ["notices", "void", "partner"],
  void: ["partner"],
};

let graph: Record<string, string[]>;
let cycles: string[][];

beforeAll(async () => {
  // Paths relative to server/; "../db/client.ts" and the like for imports from outside it.
  const result = await madge("server", { tsConfig: "tsconfig.json", fileExtensions: ["ts", "tsx"], excludeRegExp: [/\.test\.ts$/] });
  graph = result.obj();
  cycles = result.circular();
}, 60_000);

test("the dependency graph covers server/ and resolves the @/ imports", () => {
  expect(Object.keys(graph)).toContain("partner/partner-route.ts");
  expect(graph["partner/accept-call.ts"]).toContain("contract/endpoints.ts");
});

test("no module of server/ imports itself back through others", () => {
  expect(cycles).toEqual([]);
});

test("contract ← notices, delivery ← void ← partner: no folder imports one above it", () => {
  const wrong = Object.entries(graph).flatMap(([from, imports]) => {
    const forbidden = MUST_NOT_IMPORT[from.split("/")[0]!] ?? [];
    return imports.filter((to) => forbidden.includes(to.split("/")[0]!)).map((to) => `${from} → ${to}`);
  });
  expect(wrong).toEqual([]);
});
