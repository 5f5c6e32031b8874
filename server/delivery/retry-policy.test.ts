import { describe, expect, test } from "vitest";
import { failureKindOf } from "@/lib/failure-kinds";
import { classifyAttempt, nextStep, parseRetryAfter, retryDelayMs, MAX_RETRY_MS } from "@/server/delivery/retry-policy";

const answered = (status: number, bodyText: string, extra: { retryAfter?: string; location?: string } = {}) =>
  ({ kind: "answered", status, bodyText, ...extra }) as const;

describe("classifyAttempt", () => {
  test("200 with success:true is delivered", () => {
    expect(classifyAttempt(answered(200, '{"success":true}'))).toEqual({ outcome: "delivered" });
  });
  test("200 with success:false is a refusal carrying the other side's msg", () => {
    expect(classifyAttempt(answered(200, '{"success":false,"msg":"通知单已作废"}'))).toEqual({ outcome: "rejected", msg: "通知单已作废" });
    expect(classifyAttempt(answered(200, '{"success":false}'))).toEqual({ outcome: "rejected", msg: "(no msg)" });
  });
  test("a 200 that is not JSON, or has no readable success, is retried: it may have been stored", () => {
    expect(classifyAttempt(answered(200, "<html>ok</html>"))).toMatchObject({ outcome: "failed" });
    expect(classifyAttempt(answered(200, ""))).toMatchObject({ outcome: "failed", reason: "HTTP 200 with an answer that is not JSON" });
    expect(classifyAttempt(answered(200, '{"success":"yes"}'))).toMatchObject({ outcome: "failed", reason: 'HTTP 200 without a boolean "success"' });
    expect(classifyAttempt(answered(200, "[true]"))).toMatchObject({ outcome: "failed" });
  });
  test("string booleans and a BOM are read as the other side meant them (SPEC §3)", () => {
    expect(classifyAttempt(answered(200, '{"success":"TRUE"}'))).toEqual({ outcome: "delivered" });
    expect(classifyAttempt(answered(200, '\ufeff{"success":true}'))).toEqual({ outcome: "delivered" });
    expect(classifyAttempt(answered(200, '{"success":"False","msg":"门店编码不存在"}'))).toEqual({ outcome: "rejected", msg: "门店编码不存在" });
  });
  test("HTTP errors and redirects are retried", () => {
    expect(classifyAttempt(answered(500, ""))).toEqual({ outcome: "failed", reason: "HTTP 500", retryAfterMs: undefined });
    expect(classifyAttempt(answered(302, "", { location: "http://x/y" }))).toMatchObject({
      outcome: "failed",
      reason: "HTTP 302 redirect to http://x/y not followed",
    });
  });
  test("429 honours Retry-After", () => {
    expect(classifyAttempt(answered(429, "", { retryAfter: "30" }))).toMatchObject({ outcome: "failed", retryAfterMs: 30_000 });
  });
  test("network errors are retried, with the error as the reason", () => {
    expect(classifyAttempt({ kind: "error", error: "ECONNREFUSED", connected: false })).toEqual({ outcome: "failed", reason: "ECONNREFUSED" });
  });
});

test("Retry-After accepts seconds and HTTP dates", () => {
  const now = Date.parse("2026-11-29T00:00:00Z");
  expect(parseRetryAfter("120", now)).toBe(120_000);
  expect(parseRetryAfter("Sun, 29 Nov 2026 00:00:10 GMT", now)).toBe(10_000);
  expect(parseRetryAfter("soon", now)).toBeUndefined();
});

test("back-off grows, stays within its jitter band, and is capped", () => {
  expect(retryDelayMs(1, () => 0)).toBe(500);
  expect(retryDelayMs(1, () => 1)).toBe(1000);
  expect(retryDelayMs(4, () => 0)).toBe(4000);
  expect(retryDelayMs(30, () => 1)).toBe(MAX_RETRY_MS);
  expect(retryDelayMs(1, () => 0, 20_000)).toBe(20_000);
});

describe("nextStep", () => {
  const now = new Date("2026-11-29T00:00:00Z");
  const inAnHour = new Date(now.getTime() + 3600_000);
  test("a failure before the deadline is retried later", () => {
    const step = nextStep({ verdict: { outcome: "failed", reason: "HTTP 500" }, attemptNo: 1, deadlineAt: inAnHour, now, random: () => 0 });
    expect(step).toEqual({ state: "pending", reason: "HTTP 500", nextAttemptAt: new Date(now.getTime() + 500) });
  });
  test("a failure whose next try would fall past the deadline times out and waits for a person", () => {
    const soon = new Date(now.getTime() + 100);
    expect(nextStep({ verdict: { outcome: "failed", reason: "HTTP 500" }, attemptNo: 1, deadlineAt: soon, now })).toEqual({
      state: "timed_out",
      reason: "HTTP 500",
    });
  });
  test("a refusal is final at once, whatever the deadline", () => {
    expect(nextStep({ verdict: { outcome: "rejected", msg: "x" }, attemptNo: 1, deadlineAt: inAnHour, now })).toEqual({ state: "rejected", msg: "x" });
  });
});

describe("the failure kinds (lib/failure-kinds.ts) read these reasons", () => {
  test("a 200 that is not JSON, has no success, or redirects is read as its own kind", () => {
    const failed = (httpStatus: number, error: string) => ({ outcome: "failed" as const, httpStatus, error });
    const reasonOf = (status: number, bodyText: string) => {
      const verdict = classifyAttempt({ kind: "answered", status, bodyText });
      return verdict.outcome === "failed" ? verdict.reason : null;
    };
    expect(failureKindOf(failed(200, reasonOf(200, "<html>")!))).toBe("not_json");
    expect(failureKindOf(failed(200, reasonOf(200, "{}")!))).toBe("no_success");
    expect(failureKindOf(failed(302, reasonOf(302, "")!))).toBe("redirect");
  });
});
