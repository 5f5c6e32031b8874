// The rule of problems (SPEC §8), as plain functions: which failure a delivery
// is grouped by, when it joins a problem, and how a problem's state moves.
// server/problems/apply-problems.ts applies it in the transactions that change
// deliveries; nothing else decides a problem's state.

import { HubError } from "@/server/errors";
import { failureKindOf, type AttemptFailure, type FailureKind } from "@/lib/failure-kinds";
import type { ProblemState } from "@/lib/states";

/**
 * A delivery still being retried joins a problem once this many attempts in a
 * row have failed. Timed-out and rejected deliveries always join. Counting the
 * retrying ones is what tells ops about an outage within a minute of its first
 * timeout (issue 11's "done when") instead of after the hour-long deadline;
 * waiting for a second failure keeps a single blip that the first retry fixes
 * from opening (and at once resolving) a problem.
 */
export const FAILED_ATTEMPTS_TO_JOIN = 2;

/** What a problem is keyed by: unique in the problems table. */
export type ProblemKey = { side: "pos" | "oms"; path: string; failureKind: FailureKind; msg: string };

/** The problem an attempt of a delivery to `side` on `path` belongs to; `msg` is '' unless it was rejected. */
export function problemKeyOf(delivery: { target: "pos" | "oms"; path: string }, attempt: AttemptFailure): ProblemKey {
  const failureKind = failureKindOf(attempt);
  return {
    side: delivery.target,
    path: delivery.path,
    failureKind,
    msg: failureKind === "rejected" ? (attempt.msg ?? "") : "",
  };
}

/** A string that is equal for equal keys, for maps and sorting. */
export const problemKeyString = (key: ProblemKey) => JSON.stringify([key.side, key.path, key.failureKind, key.msg]);

/**
 * Whether a delivery belongs to a problem after an attempt that failed or was
 * rejected: always once it waits for a person (timed out, rejected), and while
 * it is retried from its FAILED_ATTEMPTS_TO_JOIN-th attempt on.
 */
export function joinsProblem(input: { stateAfter: "pending" | "rejected" | "timed_out"; attemptNo: number }): boolean {
  return input.stateAfter !== "pending" || input.attemptNo >= FAILED_ATTEMPTS_TO_JOIN;
}

/**
 * Whether a delivery already in a problem stays there when it fails again with
 * another kind. Transport failures (refused, reset, timeout, HTTP errors …) of
 * one delivery are one outage seen differently as the other side goes down and
 * comes back: the delivery keeps its problem, so an outage stays one problem
 * and nobody is told of it twice. A rejection is the other side's business
 * answer and is grouped by its msg: into or out of a rejection, it moves.
 */
export function staysInProblem(input: { currentKind: string; newKind: FailureKind }): boolean {
  return input.currentKind !== "rejected" && input.newKind !== "rejected";
}

/** A state change worth telling someone about (the alert sender sends on these). */
export type ProblemChange = "opened" | "resolved" | null;

/**
 * A problem's state once its open deliveries were counted again:
 * - none left open → resolved (it resolves itself, also when acknowledged);
 * - a delivery failed into a resolved problem → open again (reopened);
 * - muted stays muted: counts move, it neither resolves nor reopens, nobody is told;
 * - otherwise unchanged (an acknowledged one stays acknowledged while deliveries fail into it).
 * Source: SPEC §8 ("resolves itself when none of its deliveries is left open, and reopens when one fails again").
 */
export function nextProblemState(input: { state: ProblemState; openCount: number }): {
  state: ProblemState;
  change: ProblemChange;
} {
  const { state, openCount } = input;
  if (state === "muted") return { state, change: null };
  if (openCount <= 0) return state === "resolved" ? { state, change: null } : { state: "resolved", change: "resolved" };
  if (state === "resolved") return { state: "open", change: "opened" };
  return { state, change: null };
}

export const personProblemActions = ["acknowledge", "mute", "unmute"] as const;
export type PersonProblemAction = (typeof personProblemActions)[number];

/**
 * What a person's acknowledge / mute / unmute does: acknowledge an open problem
 * ("someone is on it"); mute any that is not muted (no alerts, no reopening);
 * unmute back to open, or resolved when nothing in it is open.
 * @throws HubError "conflict" when the action does not apply to the current state.
 */
export function problemStateAfterAction(input: {
  state: ProblemState;
  action: PersonProblemAction;
  openCount: number;
}): ProblemState {
  const { state, action, openCount } = input;
  if (action === "acknowledge" && state === "open") return "acknowledged";
  if (action === "mute" && state !== "muted") return "muted";
  if (action === "unmute" && state === "muted") return openCount > 0 ? "open" : "resolved";
  throw new HubError("conflict", `problem is ${state}: cannot ${action}`);
}
