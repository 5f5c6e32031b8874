/**
 * One sign-in attempt: the throttle's gate, the password check, the count of
 * failures, and one log line per failure with the e-mail and the client
 * address (never the password or a hash). SPEC §10.
 */
import type { Db } from "@/db/client";
import { log as rootLog } from "@/server/log";
import { checkSignInGate, recordSignInFailure, recordSignInSuccess } from "@/server/users/sign-in-throttle";
import { verifyCredentials, type VerifiedUser } from "@/server/users/users";

export type SignInOutcome =
  | { kind: "signed_in"; user: VerifiedUser }
  /** Wrong e-mail or password, or a disabled user (the caller cannot tell which). */
  | { kind: "refused" }
  /** Too many failures for this account or address: try again after this many seconds. */
  | { kind: "throttled"; retryAfterSeconds: number };

/** Receives the fields of a log line (e-mail, address, wait) and its message. */
export type SignInLog = (fields: Record<string, string | number>, msg: string) => void;

const authLog = rootLog.child({ component: "auth" });
const warn: SignInLog = (fields, msg) => authLog.warn(fields, msg);

/**
 * @param attempt e-mail as typed, password, client address (see clientAddress)
 * @param log receives one line per refused or throttled attempt
 */
export async function attemptSignIn(
  db: Db,
  attempt: { email: string; password: string; address: string },
  log: SignInLog = warn,
): Promise<SignInOutcome> {
  const keys = { email: attempt.email, address: attempt.address };
  const email = attempt.email.trim().toLowerCase().slice(0, 200);
  const gate = await checkSignInGate(db, keys);
  if (gate.locked) {
    // Refused before any hashing: a locked flood costs one small query per try.
    log({ email, address: attempt.address, retryAfterSeconds: gate.retryAfterSeconds }, "sign-in throttled");
    return { kind: "throttled", retryAfterSeconds: gate.retryAfterSeconds };
  }
  const user = await verifyCredentials(db, attempt.email, attempt.password);
  if (user) {
    await recordSignInSuccess(db, keys);
    return { kind: "signed_in", user };
  }
  const after = await recordSignInFailure(db, keys);
  log({ email, address: attempt.address, ...(after.locked ? { lockedForSeconds: after.retryAfterSeconds } : {}) }, "sign-in refused");
  return after.locked ? { kind: "throttled", retryAfterSeconds: after.retryAfterSeconds } : { kind: "refused" };
}
