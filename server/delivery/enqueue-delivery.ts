import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import type { ClaimedDelivery } from "@/server/delivery/claim-deliveries";
import { liveConfig } from "@/server/settings/live-settings";
import { uuidv7 } from "@/server/ids";
import type { PartnerSide } from "@/server/contract/endpoints";

/** Workers LISTEN here; an insert into deliveries notifies it (trigger deliveries_queued, migration 0005). */
export const DELIVERY_CHANNEL = "hub_deliveries";

/**
 * Queues an accepted call for the other side, inside the transaction that
 * accepted it: either both are stored or neither. The NOTIFY is sent by
 * Postgres at commit, so a worker never wakes for a row it cannot see yet.
 * Returns the row only when it is leased to the caller, who attempts it at once.
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
): Promise<ClaimedDelivery | null> {
  const { leaseMs, ...fields } = input;
  const deadlineAt = new Date(input.acceptedAt.getTime() + liveConfig().DELIVERY_DEADLINE_SECONDS * 1000);
  const insert = tx.insert(deliveries).values({
    ...fields,
    deliveryId: uuidv7(),
    deadlineAt,
    nextAttemptAt: input.acceptedAt,
    createdAt: input.acceptedAt,
    ...(leaseMs ? { leaseUntil: new Date(input.acceptedAt.getTime() + leaseMs), attempts: 1 } : {}),
  });
  if (!leaseMs) {
    await insert;
    return null;
  }
  const [leased] = await insert.returning();
  return leased!;
}
