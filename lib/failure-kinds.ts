// The one list of failure kinds and the one reading of an attempt into a kind
// (SPEC §8). Plain data and a pure function, no imports: the problems rule
// (server/problems/problem-rules.ts) groups deliveries by it and the pages
// (lib/i18n/explain-error.ts) say what a failure needs by it.

/**
 * Why a delivery failed, as ops group it (SPEC §8: connection refused, timeout,
 * HTTP 5xx, not JSON, rejected with the same `msg` …). Read from an attempt by
 * `failureKindOf` below.
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

/** An attempt as recorded in delivery_attempts (or about to be). */
export type AttemptFailure = {
  outcome: "failed" | "rejected";
  httpStatus: number | null;
  /** The recorded error (a failed attempt), e.g. "no answer within 10000 ms", "fetch failed: ECONNREFUSED", "HTTP 502". */
  error: string | null;
  /** The other side's msg (a rejected attempt). */
  msg?: string | null;
};

const NETWORK_KINDS: [RegExp, FailureKind][] = [
  [/no answer within|timeout|timed out|ETIMEDOUT|UND_ERR_.*TIMEOUT/i, "timeout"],
  [/ECONNREFUSED/, "connection_refused"],
  [/ECONNRESET|EPIPE|UND_ERR_SOCKET|other side closed/i, "connection_reset"],
  [/ENOTFOUND|EAI_AGAIN/, "dns_failure"],
];

/**
 * The failure kind of one attempt: a rejection ({"success":false}); an HTTP
 * answer by its status (3xx not followed, 4xx, 5xx, other non-200), a 200 that
 * is not JSON or has no boolean `success`; no answer by the network error.
 * Source: SPEC §5 (what is retried) and §8 (the kinds ops group by).
 */
export function failureKindOf(attempt: AttemptFailure): FailureKind {
  if (attempt.outcome === "rejected") return "rejected";
  const status = attempt.httpStatus;
  if (status === null) {
    const error = attempt.error ?? "";
    return NETWORK_KINDS.find(([pattern]) => pattern.test(error))?.[1] ?? "network_error";
  }
  if (status >= 300 && status < 400) return "redirect";
  if (status >= 400 && status < 500) return "http_4xx";
  if (status >= 500) return "http_5xx";
  if (status === 200) return /not JSON/i.test(attempt.error ?? "") ? "not_json" : "no_success";
  return "http_other";
}
