import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { refusedCallTallies } from "@/db/schema/exchanges";
import { log } from "@/server/log";
import { exchangeValues, logExchange, type LoggedExchange } from "@/server/partner/accept-call";
import { storableText } from "@/server/contract/read-request";

/**
 * Refused partner calls (401, 403, 400, 413, 415 …) — SPEC §10: logged without
 * linking them to a notice, and rate-limited per client address.
 *
 * - Never linked: the row has no noticeId and no dispatchNo; the dispatchNO the
 *   body names goes to `claimedDispatchNo`, which only the exchange log's filter
 *   reads. Anyone can name a notice; only an authenticated, valid call joins its story.
 * - Small: the body is kept up to REFUSED_BODY_LOG_LIMIT (4 KiB), and a call
 *   refused before its body was read (no or bad token) is read no further.
 * - Bounded: per instance and minute, the first `perAddress` refusals from an
 *   address, and `perMinute` over all addresses, get a row each; the rest add 1
 *   to one `refused_call_tallies` row per (address, minute), and past
 *   `TALLY_ADDRESSES_PER_MINUTE` addresses a minute to one shared "*" row. So a
 *   flood costs at most perMinute + TALLY_ADDRESSES_PER_MINUTE + 1 rows a minute
 *   per instance, whatever addresses it claims.
 */
export const REFUSED_BODY_LOG_LIMIT = 4096;
export const TALLY_ADDRESSES_PER_MINUTE = 1000;
export const OVERFLOW_ADDRESS = "*";

export type RefusedCallLimits = { perAddress: number; perMinute: number };
export type RefusedCallDecision = { kind: "log" } | { kind: "tally"; address: string; minute: Date };

/** The per-minute logging budget of one instance. `now` in ms since the epoch (injected in tests). */
export class RefusedCallBudget {
  private minute = -1;
  private logged = 0;
  private readonly byAddress = new Map<string, number>();
  private readonly tallied = new Set<string>();

  constructor(
    private readonly limits: () => RefusedCallLimits,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Whether this refusal from `address` gets its own row, or which tally row it adds to. */
  decide(address: string): RefusedCallDecision {
    const minute = Math.floor(this.now() / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.logged = 0;
      this.byAddress.clear();
      this.tallied.clear();
    }
    const { perAddress, perMinute } = this.limits();
    const fromAddress = this.byAddress.get(address) ?? 0;
    if (fromAddress < perAddress && this.logged < perMinute) {
      this.byAddress.set(address, fromAddress + 1);
      this.logged += 1;
      return { kind: "log" };
    }
    if (!this.tallied.has(address) && this.tallied.size < TALLY_ADDRESSES_PER_MINUTE) this.tallied.add(address);
    return { kind: "tally", address: this.tallied.has(address) ? address : OVERFLOW_ADDRESS, minute: new Date(minute * 60_000) };
  }
}

/** The dispatchNO a (possibly cut) body names, read without parsing it whole. */
export function claimedDispatchNo(body: string): string | null {
  const found = /"dispatchNO"\s*:\s*"((?:[^"\\]|\\.){1,64})"/.exec(body)?.[1];
  return found ? storableText(found.trim()).slice(0, 64) || null : null;
}

/**
 * The first `maxBytes` of a body not read yet, as UTF-8 (bad bytes become U+FFFD):
 * enough to log what a refused caller sent without taking in the rest.
 */
export async function readBodyPrefix(request: Request, maxBytes = REFUSED_BODY_LOG_LIMIT): Promise<{ text: string; truncated: boolean }> {
  if (!request.body || request.bodyUsed) return { text: "", truncated: false };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > maxBytes) {
        truncated = true;
        break;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = Buffer.concat(chunks).subarray(0, maxBytes);
  return { text: new TextDecoder("utf-8").decode(bytes), truncated };
}

export type RefusedCall = {
  exchange: LoggedExchange & { clientAddress: string };
  status: number;
  answer: Record<string, unknown>;
  outcome: "invalid" | "unauthorized";
  durationMs: number;
  /** True when the body in `exchange.requestBody` is already a cut prefix. */
  bodyCut: boolean;
};

type PendingTally = typeof refusedCallTallies.$inferInsert & { calls: number };

/**
 * Writes refused calls as the budget says: one exchange row each, or +1 on the
 * (address, minute) tally. Tallies are added up in memory and written at most
 * once every `flushDelayMs` (one multi-row upsert), so a flood costs the
 * database almost nothing; a crash loses at most that long of counting.
 */
export class RefusedCallRecorder {
  private readonly pending = new Map<string, PendingTally>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    readonly budget: RefusedCallBudget,
    private readonly database: () => Promise<Db>,
    private readonly flushDelayMs = 1000,
  ) {}

  /** Logs or tallies one refused call. Throws only when writing its exchange row fails. */
  async record(call: RefusedCall): Promise<void> {
    const { exchange } = call;
    const decision = this.budget.decide(exchange.clientAddress);
    if (decision.kind === "tally") {
      const key = `${decision.address}\n${decision.minute.getTime()}`;
      const tally = this.pending.get(key);
      const last = { lastPath: exchange.path, lastStatus: call.status, lastAt: exchange.receivedAt };
      if (tally) Object.assign(tally, last, { calls: tally.calls + 1 });
      else this.pending.set(key, { clientAddress: decision.address, minute: decision.minute, calls: 1, ...last });
      this.timer ??= setTimeout(() => void this.flush(), this.flushDelayMs);
      this.timer.unref?.();
      return;
    }
    const full = exchange.requestBody;
    const db = await this.database();
    // Built once, as every call's log row (accept-call.ts): refused calls come in floods.
    await logExchange.run(
      db,
      exchangeValues({
        ...exchange,
        requestBody: storableText(full.slice(0, REFUSED_BODY_LOG_LIMIT)),
        requestTruncated: call.bodyCut || full.length > REFUSED_BODY_LOG_LIMIT,
        responseStatus: call.status,
        responseBody: call.answer,
        durationMs: call.durationMs,
        outcome: call.outcome,
        dispatchNo: null,
        noticeId: null,
        claimedDispatchNo: claimedDispatchNo(full),
      }),
    );
  }

  /** Writes the tallies counted so far (tests and shutdown call it; otherwise the timer does). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const rows = [...this.pending.values()];
    this.pending.clear();
    if (rows.length === 0) return this.flushing;
    this.flushing = this.flushing.then(() => this.write(rows));
    return this.flushing;
  }

  private async write(rows: PendingTally[]) {
    try {
      const db = await this.database();
      for (let i = 0; i < rows.length; i += 500) {
        await db
          .insert(refusedCallTallies)
          .values(rows.slice(i, i + 500))
          .onConflictDoUpdate({
            target: [refusedCallTallies.clientAddress, refusedCallTallies.minute],
            set: {
              calls: sql`${refusedCallTallies.calls} + excluded.calls`,
              lastPath: sql`excluded.last_path`,
              lastStatus: sql`excluded.last_status`,
              lastAt: sql`excluded.last_at`,
            },
          });
      }
    } catch (error) {
      // A lost count is not worth failing anything for; say so where ops will see it.
      log.error({ err: error, rows: rows.length }, "could not write refused partner call tallies");
    }
  }
}
