import { describe, expect, it } from "vitest";
import { followRetryForMs, retryOutcomeOf, type FollowedDelivery } from "@/server/delivery/retry-outcome";

const pending: FollowedDelivery = { state: "pending", attemptedSince: false, blocked: false, hasTarget: true };

describe("retryOutcomeOf", () => {
  it("counts a delivery by what a person needs to know next", () => {
    expect(retryOutcomeOf({ ...pending, state: "delivered", attemptedSince: true })).toBe("delivered");
    expect(retryOutcomeOf({ ...pending, attemptedSince: true })).toBe("failing");
    expect(retryOutcomeOf({ ...pending, state: "rejected" })).toBe("failing");
    expect(retryOutcomeOf({ ...pending, state: "timed_out" })).toBe("failing");
    expect(retryOutcomeOf({ ...pending, blocked: true })).toBe("blocked");
    expect(retryOutcomeOf({ ...pending, hasTarget: false })).toBe("noTarget");
    expect(retryOutcomeOf(pending)).toBe("waiting");
    expect(retryOutcomeOf({ ...pending, state: "cancelled" })).toBe("closed");
  });
});

describe("followRetryForMs", () => {
  it("allows one attempt timeout per round of the worker's concurrency, plus the claim, at most 2 minutes", () => {
    expect(followRetryForMs(1, { attemptTimeoutMs: 10_000, concurrency: 16 })).toBe(20_000);
    expect(followRetryForMs(26, { attemptTimeoutMs: 10_000, concurrency: 16 })).toBe(30_000);
    expect(followRetryForMs(10_000, { attemptTimeoutMs: 10_000, concurrency: 16 })).toBe(120_000);
  });
});
