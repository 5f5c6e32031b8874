import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { readConfig } from "@/server/config";
import { uuidv7 } from "@/server/ids";
import type { PartnerSide } from "@/server/partner/endpoints";

export const DELIVERY_CHANNEL = "hub_deliveries";

/**
 * Queues an accepted call for the other side, inside the transaction that
 * accepted it: either both are stored or neither. The NOTIFY is sent by
 * Postgres at commit, so a worker never wakes for a row it cannot see yet.
 */
export async function enqueueDelivery(
  tx: Db,
  input: {
    exchangeId: string;
    noticeId: number | null;
    orderKey: string | null;
    target: PartnerSide;
    path: string;
    payload: string;
    acceptedAt: Date;
    /** Lease it to the caller (the synchronous void relay) so no worker takes it meanwhile. */
    leaseMs?: number;
  },
) {
  const { leaseMs, ...fields } = input;
  const deadlineAt = new Date(input.acceptedAt.getTime() + readConfig().DELIVERY_DEADLINE_SECONDS * 1000);
  const [row] = await tx
    .insert(deliveries)
    .values({
      ...fields,
      deliveryId: uuidv7(),
      deadlineAt,
      nextAttemptAt: input.acceptedAt,
      createdAt: input.acceptedAt,
      ...(leaseMs ? { leaseUntil: new Date(input.acceptedAt.getTime() + leaseMs), attempts: 1 } : {}),
    })
    .returning();
  await tx.execute(sql`select pg_notify(${DELIVERY_CHANNEL}, '')`);
  return row!;
}
