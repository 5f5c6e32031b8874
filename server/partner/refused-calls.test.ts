import { describe, expect, it } from "vitest";
import { claimedDispatchNo, OVERFLOW_ADDRESS, readBodyPrefix, RefusedCallBudget, TALLY_ADDRESSES_PER_MINUTE } from "@/server/partner/refused-calls";

const T0 = Date.UTC(2026, 10, 30, 20, 0, 0);

describe("RefusedCallBudget", () => {
  it("logs the first calls of an address each minute, then tallies it under (address, minute)", () => {
    let now = T0 + 5_000;
    const budget = new RefusedCallBudget(() => ({ perAddress: 3, perMinute: 100 }), () => now);
    const kinds = Array.from({ length: 5 }, () => budget.decide("203.0.113.7").kind);
    expect(kinds).toEqual(["log", "log", "log", "tally", "tally"]);
    expect(budget.decide("203.0.113.7")).toEqual({ kind: "tally", address: "203.0.113.7", minute: new Date(T0) });
    expect(budget.decide("198.51.100.4").kind).toBe("log");
    now = T0 + 60_000;
    expect(budget.decide("203.0.113.7").kind).toBe("log");
  });

  it("caps logged rows over all addresses, and tally rows per minute, however many addresses a flood claims", () => {
    const budget = new RefusedCallBudget(() => ({ perAddress: 5, perMinute: 50 }), () => T0);
    const decisions = Array.from({ length: 5_000 }, (_, i) => budget.decide(`10.0.${Math.floor(i / 250)}.${i % 250}`));
    expect(decisions.filter((d) => d.kind === "log")).toHaveLength(50);
    const tallyRows = new Set(decisions.flatMap((d) => (d.kind === "tally" ? [d.address] : [])));
    expect(tallyRows.size).toBe(TALLY_ADDRESSES_PER_MINUTE + 1);
    expect(tallyRows.has(OVERFLOW_ADDRESS)).toBe(true);
  });
});

describe("claimedDispatchNo", () => {
  it("reads the dispatchNO from a body cut anywhere after it", () => {
    expect(claimedDispatchNo('{"shopCode":"S1","dispatchNO":" DN-1 ","items":[{"prod')).toBe("DN-1");
    expect(claimedDispatchNo('{"dispatchNO":1}')).toBeNull();
    expect(claimedDispatchNo("not json")).toBeNull();
  });
});

describe("readBodyPrefix", () => {
  it("reads no more than asked of a large body and says it was cut", async () => {
    const request = new Request("http://hub.test/pos/ordermake", { method: "POST", body: "x".repeat(1024 * 1024) });
    const prefix = await readBodyPrefix(request, 4096);
    expect(prefix).toEqual({ text: "x".repeat(4096), truncated: true });
    const small = await readBodyPrefix(new Request("http://hub.test/", { method: "POST", body: "{}" }), 4096);
    expect(small).toEqual({ text: "{}", truncated: false });
  });
});
