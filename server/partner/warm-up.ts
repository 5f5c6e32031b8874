import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "@/db/client";
import type { HubConfig } from "@/server/config";
import { partnerEndpoints, type PartnerSide } from "@/server/contract/endpoints";
import type { PartnerCaller } from "@/server/partner/authenticate";

/**
 * Warm-up before readiness (issue 13, "find out why a fresh start is so much
 * worse"). A fresh `npm start` was measured (bench/warm-up-curve.ts,
 * bench/findings.md) to spend on its first partner call ~7 × the CPU of a warm
 * one, Next.js instantiating the route's module graph, and on the next ~200
 * calls 1.3–3 × (code V8 has not compiled yet, the pool's connections opened
 * and each statement prepared on each connection at its first use). At
 * 200 req/s that burst of extra CPU saturates the process and builds a backlog
 * that takes seconds to drain. So `npm start` (server/http-main.ts) sends itself
 * WARM_UP_CALLS store orders through the real node:http → Next.js → partner
 * route path before /api/health/ready says ready, so a load balancer sends no
 * traffic to a cold instance.
 *
 * A warm-up call is marked by a header carrying a secret made per process (no
 * one outside it can send one); the route then runs the call's whole database
 * work in a transaction that is rolled back (`rehearse`), answers without
 * recording metrics, logging a refused call or waking the delivery worker:
 * nothing is stored, counted or delivered.
 */

export const WARM_UP_HEADER = "x-hub-warm-up";

type WarmUpState = { secret: Buffer; state: "running" | "done"; sent: number; of: number };
const shared = globalThis as unknown as { hubWarmUp?: WarmUpState };

/** This process's warm-up secret, made on first use. */
function secret(): Buffer {
  shared.hubWarmUp ??= { secret: randomBytes(32), state: "done", sent: 0, of: 0 };
  return shared.hubWarmUp.secret;
}

/** True when a request's WARM_UP_HEADER value is this process's warm-up secret (compared in constant time). */
export function isWarmUpCall(given: string | string[] | null | undefined): boolean {
  if (typeof given !== "string" || !shared.hubWarmUp) return false;
  const expected = Buffer.from(secret().toString("hex"));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The caller a warm-up call acts as: no token is needed (none may be configured yet), every shop allowed. */
export const warmUpCaller = (side: PartnerSide): PartnerCaller => ({ side, label: "warm-up", shopCodes: null });

/** Thrown to roll the rehearsal's transaction back. */
class Rollback extends Error {}

/** Runs `work` in a transaction and rolls it back; returns what `work` returned. Rethrows `work`'s own errors. */
export async function rehearse<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  let result: { value: T } | undefined;
  try {
    await db.transaction(async (tx) => {
      // A transaction runs every query a database handle runs (its own transaction() becomes a savepoint).
      result = { value: await work(tx) };
      throw new Rollback("warm-up call rolled back");
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return result!.value;
}

/** Readiness's view (server/health.ts): undefined when this process runs no warm-up (tests, `next start`). */
export function warmUpProgress(): { done: boolean; sent: number; of: number } | undefined {
  const state = shared.hubWarmUp;
  return state && state.of > 0 ? { done: state.state === "done", sent: state.sent, of: state.of } : undefined;
}

/**
 * How many warm-up calls `npm start` sends: WARM_UP_CALLS when set, else 300 on
 * PostgreSQL and 100 on the embedded database. Measured with
 * bench/warm-up-default.ts (a fresh instance, WORKER=off, load average 8–11 on
 * 2 cores, 2 rounds interleaved; store orders sent one at a time after ready).
 * On PGlite, with none, 9–10 of the first 10 calls after ready and 11–39 of the
 * next 40 were answered 503 (the event loop still late from start-up); with 30
 * the first 50 cost 17–23 ms CPU each, with 100 12–16 ms, with 300 13–16 ms
 * (warm: 12–15). 300 took 43–60 s from spawn to ready, 100 33–35 s, none 30–35 s,
 * and 300 spent 4–5 s more CPU than 100: the calls, one at a time, mostly wait
 * for the embedded database to open, and the last 200 only add start time.
 * On PostgreSQL (10 at once) 100 and 300 both left the first calls at the warm
 * 8–12 ms (none: 110–120 ms for the first); ready after 21–22 s against 28.5–32 s.
 * 300 is kept there: the burst measured in bench/findings.md was at 200 req/s,
 * which this one-at-a-time measure does not repeat.
 */
export function warmUpCalls(config: Pick<HubConfig, "WARM_UP_CALLS" | "DATABASE_URL">): number {
  return config.WARM_UP_CALLS ?? (config.DATABASE_URL ? 300 : 100);
}

/** A valid store order (SPEC §3, pos/ordermake) of its own per call: the ingest's commonest path. */
function storeOrderBody(index: number): string {
  return JSON.stringify({
    shopCode: "WARMUP",
    dispatchNO: `WARMUP-${process.pid}-${index}`,
    purchaseCode: `WARMUP${index}`,
    memberCode: null,
    receiver: "预热",
    phone: "13800000000",
    province: "上海市",
    city: "上海市",
    county: "黄浦区",
    address: "预热路1号",
    items: [{ product: "WARMUP", color: "00", size: "M", qty: 1 }],
  });
}

/**
 * Warms this instance through its own server at `baseUrl` (ms-scale CPU per
 * call): a GET to every partner path (Next.js loads each route's modules; 405,
 * nothing runs), then `calls` warm-up store orders, `concurrency` at once (the
 * pool's size, so every connection opens and prepares the ingest's statements).
 * Readiness is false from the start of this until it returns. A call that fails
 * is not retried: the warm-up only speeds up what follows, it never blocks it.
 */
export async function warmUp(baseUrl: string, options: { calls: number; concurrency: number }): Promise<{ answered: Record<string, number> }> {
  const key = secret().toString("hex");
  const state = shared.hubWarmUp!;
  Object.assign(state, { state: "running", sent: 0, of: Math.max(1, options.calls) });
  const answered: Record<string, number> = {};
  try {
    for (const endpoint of partnerEndpoints) await fetch(`${baseUrl}${endpoint.path}`).then((response) => response.arrayBuffer()).catch(() => undefined);
    let next = 0;
    const worker = async () => {
      while (next < options.calls) {
        const index = next++;
        const status = await fetch(`${baseUrl}/pos/ordermake`, {
          method: "POST",
          headers: { "content-type": "application/json", [WARM_UP_HEADER]: key },
          body: storeOrderBody(index),
        })
          .then(async (response) => (await response.arrayBuffer(), String(response.status)))
          .catch((error: unknown) => (error instanceof Error ? error.name : "error"));
        answered[status] = (answered[status] ?? 0) + 1;
        state.sent++;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    state.state = "done";
  }
  return { answered };
}
