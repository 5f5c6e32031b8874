/**
 * Sign-in throttling per account (e-mail) and per client address, shared by
 * every hub instance through PostgreSQL (SPEC §10: "throttled per account and
 * per address (429 after a few failures, growing wait)").
 *
 * rate-limiter-flexible's RateLimiterPostgres keeps the counters in the
 * `sign_in_limits` table our migration creates (`tableCreated: true`, so the
 * library never runs DDL). Its queries go through our own `Db`, whichever
 * driver it is (postgres.js or the embedded PGlite), by `storeClient` below.
 *
 * Policy: failures are counted per key over an hour. From the 5th failure of
 * an account (20th of an address) each further failure locks that key for
 * 15 s × 2ⁿ (60 s × 2ⁿ for an address), at most an hour. A good sign-in clears
 * the account's count; an address's count only expires.
 */
import { sql, type SQL } from "drizzle-orm";
import { RateLimiterPostgres } from "rate-limiter-flexible";
import type { Db } from "@/db/client";

type Policy = { prefix: string; freeFailures: number; firstLockSeconds: number };

export const ACCOUNT_POLICY: Policy = { prefix: "signin_account", freeFailures: 4, firstLockSeconds: 15 };
export const ADDRESS_POLICY: Policy = { prefix: "signin_address", freeFailures: 19, firstLockSeconds: 60 };
const WINDOW_SECONDS = 3600;
const MAX_LOCK_SECONDS = 3600;

/** Seconds a key is locked after its `failures`-th failure (0: not locked). */
export function lockSeconds(policy: Policy, failures: number): number {
  const over = failures - policy.freeFailures;
  if (over <= 0) return 0;
  return Math.min(policy.firstLockSeconds * 2 ** Math.min(over - 1, 20), MAX_LOCK_SECONDS);
}

/**
 * The `pool`-shaped client RateLimiterPostgres calls (`query({ text, values })`
 * → `{ rows, rowCount }`), running the library's `$n` statements on our Db.
 */
function storeClientFor(db: Db) {
  return {
    async query({ text, values = [] }: { text: string; values?: unknown[] }) {
      const parts = text.split(/\$(\d+)/);
      const chunks: SQL[] = parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${values[Number(part) - 1]}`));
      type Row = Record<string, unknown>;
      const result: unknown = await db.execute(sql.join(chunks));
      // postgres.js: an array with `count`; PGlite: `{ rows, affectedRows }`, where affectedRows is 0
      // for a SELECT and a DELETE returns no rows: rows found, else rows changed.
      const rows: Row[] = Array.isArray(result) ? [...(result as Row[])] : ((result as { rows?: Row[] }).rows ?? []);
      const changed = Array.isArray(result) ? (result as { count?: number }).count : (result as { affectedRows?: number }).affectedRows;
      const rowCount = rows.length || (changed ?? 0);
      return { rows: rows.map((row) => ({ ...row, expire: row.expire === null ? null : Number(row.expire) })), rowCount };
    },
  };
}

type Limiters = { failures: RateLimiterPostgres; lock: RateLimiterPostgres };

const cache = new WeakMap<Db, Record<string, Limiters>>();

function limitersFor(db: Db, policy: Policy): Limiters {
  let byPrefix = cache.get(db);
  if (!byPrefix) cache.set(db, (byPrefix = {}));
  return (byPrefix[policy.prefix] ??= (() => {
    const common = { storeClient: storeClientFor(db), storeType: "pool", tableName: "sign_in_limits", tableCreated: true };
    return {
      // Never refuses (points far above any count): it only counts.
      failures: new RateLimiterPostgres({ ...common, keyPrefix: `${policy.prefix}_failures`, points: 1_000_000, duration: WINDOW_SECONDS }),
      // Holds a lock set by block(); get() shows whether it is still on.
      lock: new RateLimiterPostgres({ ...common, keyPrefix: `${policy.prefix}_lock`, points: 1, duration: 1, clearExpiredByTimeout: false }),
    };
  })());
}

export type SignInKeys = { email: string; address: string };
/** Open, or locked for `retryAfterSeconds` more (whole seconds, at least 1). */
export type SignInGate = { locked: false } | { locked: true; retryAfterSeconds: number };

const keysFor = ({ email, address }: SignInKeys) =>
  [
    [ACCOUNT_POLICY, email.trim().toLowerCase().slice(0, 200)],
    [ADDRESS_POLICY, address.slice(0, 100)],
  ] as const;

/** Whether the account or the address is locked now; the longer wait wins. */
export async function checkSignInGate(db: Db, keys: SignInKeys): Promise<SignInGate> {
  let waitMs = 0;
  for (const [policy, key] of keysFor(keys)) {
    const lock = await limitersFor(db, policy).lock.get(key);
    if (lock && lock.consumedPoints > 1 && lock.msBeforeNext > 0) waitMs = Math.max(waitMs, lock.msBeforeNext);
  }
  return waitMs > 0 ? { locked: true, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : { locked: false };
}

/** Counts a failure against both keys and locks a key that passed its free failures; returns the gate after it. */
export async function recordSignInFailure(db: Db, keys: SignInKeys): Promise<SignInGate> {
  let waitSeconds = 0;
  for (const [policy, key] of keysFor(keys)) {
    const limiters = limitersFor(db, policy);
    const counted = await limiters.failures.consume(key);
    const seconds = lockSeconds(policy, counted.consumedPoints);
    if (seconds > 0) {
      await limiters.lock.block(key, seconds);
      waitSeconds = Math.max(waitSeconds, seconds);
    }
  }
  return waitSeconds > 0 ? { locked: true, retryAfterSeconds: waitSeconds } : { locked: false };
}

/** A good sign-in: the account starts afresh; the address keeps its count. */
export async function recordSignInSuccess(db: Db, keys: SignInKeys): Promise<void> {
  const [[policy, key]] = keysFor(keys);
  const limiters = limitersFor(db, policy);
  await limiters.failures.delete(key);
  await limiters.lock.delete(key);
}
