import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "@/db/client";
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
