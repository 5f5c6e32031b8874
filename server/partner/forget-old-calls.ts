import { inArray, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { idempotencyKeys } from "@/db/schema/exchanges";

const KEYS_PER_DELETE = 5000;

/**
 * Idempotency keys older than the retention window are forgotten, in small
 * batches so no delete holds locks for long. The calls stay in the exchange
 * log; only their replay ends: a repeat after that is applied as a new call.
 */
export async function forgetOldIdempotencyKeys(db: Db, olderThan: Date): Promise<number> {
  let forgotten = 0;
  for (;;) {
    const expired = db
      .select({ key: idempotencyKeys.key })
      .from(idempotencyKeys)
      .where(lt(idempotencyKeys.createdAt, olderThan))
      .limit(KEYS_PER_DELETE);
    const deleted = await db
      .delete(idempotencyKeys)
      .where(inArray(idempotencyKeys.key, expired))
      .returning({ key: idempotencyKeys.key });
    forgotten += deleted.length;
    if (deleted.length < KEYS_PER_DELETE) return forgotten;
  }
}
