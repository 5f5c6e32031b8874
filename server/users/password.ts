/**
 * Password hashing off the event loop. argon2id (OWASP's first choice: 19 MiB,
 * 2 passes, 1 lane) through @node-rs/argon2, whose hash and verify run as
 * N-API async work on libuv's thread pool, so a flood of sign-ins never delays
 * partner calls on the event loop (issue 9: 30 bad sign-ins took /pos/ordermake
 * from 20 ms to 4–6 s under bcryptjs). Hashes made before (bcrypt, `$2…$`) stay
 * valid, checked by @node-rs/bcrypt on the same pool, and are re-hashed on the
 * next good sign-in.
 *
 * At most HASH_SLOTS hashes run at once (libuv has 4 threads by default, shared
 * with file and DNS work, and each hash keeps a core busy for ~30 ms); more
 * callers wait their turn in a queue.
 */
import { availableParallelism } from "node:os";
import { hash as argon2Hash, parseOptions, verify as argon2Verify } from "@node-rs/argon2";
import { verify as bcryptVerify } from "@node-rs/bcrypt";

const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, not importable under isolatedModules); the library's default

/**
 * Hashes or verifies running at once in this process: one core is left to the
 * event loop and PostgreSQL (1 on a 2-core machine, 2 from 3 cores up).
 */
export const HASH_SLOTS = Math.max(1, Math.min(2, availableParallelism() - 1));

let running = 0;
const waiting: (() => void)[] = [];

async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HASH_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next waiter, or free it.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** An argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) for `password`. */
export const hashPassword = (password: string): Promise<string> => inSlot(() => argon2Hash(password, ARGON2));

/** True when `hash` was made by an older scheme or other parameters and should be replaced on sign-in. */
export function needsRehash(hash: string): boolean {
  if (!hash.startsWith("$argon2")) return true;
  try {
    const used = parseOptions(hash);
    return Number(used.algorithm) !== ARGON2ID || used.memoryCost !== ARGON2.memoryCost || used.timeCost !== ARGON2.timeCost || used.parallelism !== ARGON2.parallelism;
  } catch {
    return true;
  }
}

/** Checks `password` against an argon2 or bcrypt hash; false for anything else (never throws on a bad hash). */
export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return inSlot(async () => {
    try {
      if (hash.startsWith("$argon2")) return await argon2Verify(hash, password);
      if (/^\$2[aby]\$/.test(hash)) return await bcryptVerify(password, hash);
    } catch {
      // A malformed stored hash refuses the sign-in like a wrong password.
    }
    return false;
  });
}

const holder = globalThis as unknown as { dummyPasswordHash?: Promise<string> };

/**
 * Spends the time of a real check when the e-mail is unknown, so a wrong
 * address takes as long as a wrong password (no account discovery by timing).
 * The dummy hash is made once per process with the current parameters.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  holder.dummyPasswordHash ??= hashPassword(`dummy-${Math.random()}`);
  await verifyPassword(password, await holder.dummyPasswordHash);
  return false;
}
