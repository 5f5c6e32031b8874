import { describe, expect, it } from "vitest";
import { percentile, ratio, summarize } from "@/bench/lib/stats";

describe("bench statistics", () => {
  it("takes the nearest rank, so p50 of 1..100 is 50 and p99 is 99", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  it("sorts before taking percentiles and reports the count", () => {
    expect(summarize([30, 10, 20])).toEqual({ count: 3, p50: 20, p95: 30, p99: 30, max: 30 });
  });

  it("has no percentile of nothing", () => {
    expect(summarize([]).p50).toBeNaN();
  });

  it("prints ratios as whole percentages and refuses a zero base", () => {
    expect(ratio(612, 1000)).toBe("61 %");
    expect(ratio(5, 0)).toBe("–");
  });
});
