import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { deliveries } from "@/db/schema/deliveries";
import type { ClaimedDelivery } from "@/server/delivery/claim-deliveries";
import { liveConfig } from "@/server/settings/live-settings";
import { uuidv7 } from "@/server/ids";
import type { PartnerSide } from "@/server/contract/endpoints";

/** Workers LISTEN here; an insert into deliveries notifies it (trigger deliveries_queued, migration 0005). */
export const DELIVERY_CHANNEL = "hub_deliveries";

const queuedColumns = {
  deliveryId: sql.placeholder("deliveryId"),
  exchangeId: sql.placeholder("exchangeId"),
  noticeId: sql.placeholder("noticeId"),
  orderKey: sql.placeholder("orderKey"),
  target: sql.placeholder("target"),
  path: sql.placeholder("path"),
  payload: sql.placeholder("payload"),
  deadlineAt: sql.placeholder("deadlineAt"),
  nextAttemptAt: sql.placeholder("acceptedAt"),
  createdAt: sql.placeholder("acceptedAt"),
};

// Built once (db/prepared-in-transaction.ts): every accepted call that is forwarded runs one of them.
const insertQueued = preparedInTransaction("enqueue_delivery", (db) => db.insert(deliveries).values(queuedColumns));
const insertLeased = preparedInTransaction("enqueue_delivery_leased", (db) =>
  db
    .insert(deliveries)
    .values({ ...queuedColumns, leaseUntil: sql.placeholder("leaseUntil"), attempts: 1 })
    .returning(),
);

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
  const values = {
    ...fields,
    deliveryId: uuidv7(),
    deadlineAt: new Date(input.acceptedAt.getTime() + liveConfig().DELIVERY_DEADLINE_SECONDS * 1000),
  };
  if (!leaseMs) {
    await insertQueued.run(tx, values);
    return null;
  }
  const [leased] = await insertLeased.run(tx, { ...values, leaseUntil: new Date(input.acceptedAt.getTime() + leaseMs) });
  return leased!;
}
