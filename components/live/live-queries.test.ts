import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { queriesShowing, queryKeysFor } from "@/components/live/live-queries";
import { appRouter } from "@/server/api/root";

describe("live updates' queries", () => {
  it("name procedures that exist, and queries only", () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    for (const path of Object.values(queriesShowing).flat()) expect(procedures[path]?._def.type, path).toBe("query");
  });

  it("gives each query once for a batch, as tRPC's key prefix", () => {
    const keys = queryKeysFor(["problems", "deliveries"]);
    expect(keys).toContainEqual([["problems", "counts"]]);
    expect(keys).toContainEqual([["deliveries", "list"]]);
    expect(keys.filter((key) => key[0]!.join(".") === "logs.overview")).toHaveLength(1);
  });

  it("replace polling: no query in the dashboard refreshes itself on a timer", () => {
    const files = ["components", "app", "trpc", "lib"]
      .flatMap((folder) => readdirSync(folder, { recursive: true, encoding: "utf8" }).map((file) => path.join(folder, file)))
      .filter((file) => /\.tsx?$/.test(file) && !file.endsWith(".test.ts"));
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((file) => /refetchInterval/.test(readFileSync(file, "utf8")))).toEqual([]);
  });
});
