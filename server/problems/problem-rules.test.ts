import { describe, expect, test } from "vitest";
import { HubError } from "@/server/errors";
import {
  FAILED_ATTEMPTS_TO_JOIN,
  joinsProblem,
  nextProblemState,
  problemKeyOf,
  problemKeyString,
  problemStateAfterAction,
  staysInProblem,
} from "@/server/problems/problem-rules";

const failed = (httpStatus: number | null, error: string) => ({ outcome: "failed" as const, httpStatus, error });

describe("problem key", () => {
  const toOms = { target: "oms" as const, path: "/pos/ordermake" };

  test("a rejection is grouped by its msg; other kinds ignore it", () => {
    const a = problemKeyOf(toOms, { outcome: "rejected", httpStatus: 200, error: null, msg: "通知单不存在" });
    const b = problemKeyOf(toOms, { outcome: "rejected", httpStatus: 200, error: null, msg: "发货通知单号重复" });
    expect(a).toEqual({ side: "oms", path: "/pos/ordermake", failureKind: "rejected", msg: "通知单不存在" });
    expect(problemKeyString(a)).not.toBe(problemKeyString(b));
    expect(problemKeyOf(toOms, failed(500, "HTTP 500")).msg).toBe("");
  });

  test("same side, path and kind give the same key whatever the exact error text", () => {
    const first = problemKeyOf(toOms, failed(null, "no answer within 10000 ms"));
    const second = problemKeyOf(toOms, failed(null, "no answer within 3000 ms"));
    expect(problemKeyString(first)).toBe(problemKeyString(second));
    expect(problemKeyString(first)).not.toBe(problemKeyString(problemKeyOf({ ...toOms, target: "pos" }, failed(null, "no answer within 1 ms"))));
    expect(problemKeyString(first)).not.toBe(problemKeyString(problemKeyOf({ ...toOms, path: "/pos/checkout" }, failed(null, "no answer within 1 ms"))));
  });
});

describe("when a delivery joins a problem", () => {
  test("timed out and rejected always; a retried one from its second failed attempt", () => {
    expect(joinsProblem({ stateAfter: "timed_out", attemptNo: 1 })).toBe(true);
    expect(joinsProblem({ stateAfter: "rejected", attemptNo: 1 })).toBe(true);
    expect(joinsProblem({ stateAfter: "pending", attemptNo: 1 })).toBe(false);
    expect(joinsProblem({ stateAfter: "pending", attemptNo: FAILED_ATTEMPTS_TO_JOIN })).toBe(true);
    expect(FAILED_ATTEMPTS_TO_JOIN).toBe(2);
  });
});

describe("a delivery failing again another way", () => {
  test("keeps its problem between transport failures, moves into or out of a rejection", () => {
    expect(staysInProblem({ currentKind: "timeout", newKind: "connection_refused" })).toBe(true);
    expect(staysInProblem({ currentKind: "http_5xx", newKind: "timeout" })).toBe(true);
    expect(staysInProblem({ currentKind: "timeout", newKind: "rejected" })).toBe(false);
    expect(staysInProblem({ currentKind: "rejected", newKind: "timeout" })).toBe(false);
  });
});

describe("problem state", () => {
  test("resolves itself when nothing in it is open, also when acknowledged", () => {
    expect(nextProblemState({ state: "open", openCount: 0 })).toEqual({ state: "resolved", change: "resolved" });
    expect(nextProblemState({ state: "acknowledged", openCount: 0 })).toEqual({ state: "resolved", change: "resolved" });
    expect(nextProblemState({ state: "resolved", openCount: 0 })).toEqual({ state: "resolved", change: null });
  });

  test("reopens when a delivery fails into it again", () => {
    expect(nextProblemState({ state: "resolved", openCount: 1 })).toEqual({ state: "open", change: "opened" });
  });

  test("stays as it is while deliveries are open in it", () => {
    expect(nextProblemState({ state: "open", openCount: 3 })).toEqual({ state: "open", change: null });
    expect(nextProblemState({ state: "acknowledged", openCount: 3 })).toEqual({ state: "acknowledged", change: null });
  });

  test("muted neither resolves nor reopens", () => {
    expect(nextProblemState({ state: "muted", openCount: 0 })).toEqual({ state: "muted", change: null });
    expect(nextProblemState({ state: "muted", openCount: 5 })).toEqual({ state: "muted", change: null });
  });

  test("a person acknowledges an open one, mutes any, unmutes to open or resolved", () => {
    expect(problemStateAfterAction({ state: "open", action: "acknowledge", openCount: 2 })).toBe("acknowledged");
    expect(problemStateAfterAction({ state: "acknowledged", action: "mute", openCount: 2 })).toBe("muted");
    expect(problemStateAfterAction({ state: "resolved", action: "mute", openCount: 0 })).toBe("muted");
    expect(problemStateAfterAction({ state: "muted", action: "unmute", openCount: 2 })).toBe("open");
    expect(problemStateAfterAction({ state: "muted", action: "unmute", openCount: 0 })).toBe("resolved");
    expect(() => problemStateAfterAction({ state: "resolved", action: "acknowledge", openCount: 0 })).toThrow(HubError);
    expect(() => problemStateAfterAction({ state: "open", action: "unmute", openCount: 1 })).toThrow(HubError);
  });
});
