import type { problemStates } from "@/lib/states";
// The one list of failure kinds and problem states, kept apart from the SQL so
// pages can import them without pulling the database layer into the browser.

/**
 * Why a delivery failed, as ops group it (SPEC §8: connection refused, timeout,
 * HTTP 5xx, not JSON, rejected with the same `msg` …). Read from an attempt by
 * `failureKindOf` in problem-rules.ts.
 */
export const failureKinds = [
  "connection_refused",
  "connection_reset",
  "dns_failure",
  "timeout",
  "network_error",
  "http_5xx",
  "http_4xx",
  "http_other",
  "redirect",
  "not_json",
  "no_success",
  "rejected",
] as const;
export type FailureKind = (typeof failureKinds)[number];

/** A problem's state; the list is lib/states.ts's problemStates. */
export type ProblemStateName = (typeof problemStates)[number];
