import { readReply } from "@/server/delivery/read-answer";

// How one attempt's result is read, and when the next one goes. Pure, so the
// rules of SPEC §5 are tested without a network.

export type AttemptResult =
  | { kind: "answered"; status: number; bodyText: string; retryAfter?: string | null; location?: string | null }
  // connected: a connection to the other side was open when it failed (send-delivery.ts; read by may-have-arrived.ts).
  | { kind: "error"; error: string; connected: boolean };

export type Verdict =
  | { outcome: "delivered" }
  | { outcome: "rejected"; msg: string }
  | { outcome: "failed"; reason: string; retryAfterMs?: number };

/**
 * 200 + success:true delivers; 200 + success:false is a business refusal;
 * anything else is retried. `bodyText` is the answer as decodeAnswer read it;
 * success is read by readReply (string booleans, BOM; SPEC §3 "Reading an answer").
 */
export function classifyAttempt(result: AttemptResult, now = Date.now()): Verdict {
  // Whether a failed attempt may have arrived all the same is may-have-arrived.ts's to say.
  if (result.kind === "error") return { outcome: "failed", reason: result.error };
  const { status, bodyText } = result;
  if (status !== 200) {
    const reason =
      status >= 300 && status < 400
        ? `HTTP ${status} redirect to ${result.location ?? "?"} not followed`
        : `HTTP ${status}`;
    return { outcome: "failed", reason, retryAfterMs: parseRetryAfter(result.retryAfter, now) };
  }
  const read = readReply(bodyText);
  // An empty 200, a proxy's HTML page, JSON without success: no answer, so it may or may not have been stored.
  if ("none" in read) {
    const reason = read.none === "not_json" ? "HTTP 200 with an answer that is not JSON" : 'HTTP 200 without a boolean "success"';
    return { outcome: "failed", reason };
  }
  if (read.reply.success) return { outcome: "delivered" };
  return { outcome: "rejected", msg: read.reply.msg ? read.reply.msg : "(no msg)" };
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export const FIRST_RETRY_MS = 1000;
export const MAX_RETRY_MS = 5 * 60 * 1000;

/**
 * Exponential back-off with "equal jitter": attempt 1 → 0.5–1 s, 2 → 1–2 s, …,
 * capped at 5 min, so instances that failed together don't retry together.
 */
export function retryDelayMs(attemptNo: number, random = Math.random, retryAfterMs?: number): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attemptNo - 1));
  const delay = ceiling / 2 + random() * (ceiling / 2);
  return Math.round(Math.min(MAX_RETRY_MS, Math.max(delay, retryAfterMs ?? 0)));
}

export type NextStep =
  | { state: "delivered" }
  // Closed without a person: the other side's refusal was already told to whoever asked (a relayed void, server/void/).
  | { state: "resolved" }
  | { state: "rejected"; msg: string }
  | { state: "timed_out"; reason: string }
  | { state: "pending"; reason: string; nextAttemptAt: Date };

/** What becomes of the delivery after an attempt. Past the deadline a failure waits for a person. */
export function nextStep(input: {
  verdict: Verdict;
  attemptNo: number;
  deadlineAt: Date;
  now: Date;
  random?: () => number;
}): NextStep {
  const { verdict } = input;
  if (verdict.outcome === "delivered") return { state: "delivered" };
  if (verdict.outcome === "rejected") return { state: "rejected", msg: verdict.msg };
  const nextAttemptAt = new Date(
    input.now.getTime() + retryDelayMs(input.attemptNo, input.random, verdict.retryAfterMs),
  );
  if (nextAttemptAt >= input.deadlineAt) return { state: "timed_out", reason: verdict.reason };
  return { state: "pending", reason: verdict.reason, nextAttemptAt };
}
