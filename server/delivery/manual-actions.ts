import { and, count, eq, inArray, lte, max, notInArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries, deliveryActions } from "@/db/schema/deliveries";
import { liveConfig } from "@/server/settings/live-settings";
import { deliveryConditions, type DeliveryFilter } from "@/server/delivery/delivery-filter";
import { openDeliveryStates } from "@/lib/states";
import { DELIVERY_CHANNEL } from "@/server/delivery/enqueue-delivery";
import { signalDeliveryQueued } from "@/server/delivery/wake";
import { HubError } from "@/server/errors";
import { checkEditedPayload } from "@/server/delivery/edit-rules";
import { notices } from "@/db/schema/notices";
import { recountProblemsOf } from "@/server/problems/apply-problems";
import { followRetryForMs } from "@/server/delivery/retry-outcome";
import { freshDeadline, releaseFollowers } from "@/server/delivery/release-followers";

/**
 * What a person counted before confirming an action on a filter (countSelectedDeliveries):
 * `n` open deliveries, the newest of them `upTo` (deliveries.id), and `ids` — the counted
 * deliveries themselves when there are at most CONFIRMED_IDS_MAX (absent beyond).
 */
export type ConfirmedCount = { n: number; upTo: number; ids?: number[] };

/** Up to this many counted ids travel with the confirmation (the bound of a selection by ids). */
export const CONFIRMED_IDS_MAX = 10_000;

/**
 * The deliveries an action is on: chosen by id, or every open one a filter
 * matches. An action on a filter carries what was confirmed, so it acts on
 * what the person saw and not on what arrived since (see actOnSelection).
 */
export type DeliverySelection = { ids: number[] } | { filter: DeliveryFilter; confirmed?: ConfirmedCount };

type DeliveryState = (typeof deliveries.$inferSelect)["state"];
type ActionKind = (typeof deliveryActions.$inferInsert)["action"];

const OPEN_STATES: DeliveryState[] = [...openDeliveryStates];
const IDS_PER_STATEMENT = 5000;

/** Deliveries arrive while the dialog is open; ids grow (bigserial), so `id <= upTo` is what was counted. */
const selectionCondition = (selection: DeliverySelection): SQL | undefined =>
  "ids" in selection
    ? inArray(deliveries.id, selection.ids)
    : and(deliveryConditions(selection.filter), selection.confirmed ? lte(deliveries.id, selection.confirmed.upTo) : undefined);

/**
 * How many deliveries an action on this selection would change, for the
 * confirmation dialog: `{ n, upTo, ids }`, upTo the newest one's id (0 when none),
 * ids the counted ones (up to CONFIRMED_IDS_MAX), to send back with the action (ConfirmedCount).
 */
export async function countSelectedDeliveries(db: Db, selection: DeliverySelection): Promise<ConfirmedCount> {
  const open = and(selectionCondition(selection), inArray(deliveries.state, OPEN_STATES));
  // Ids grow with arrival only: a queue, a problem or a head's followers gain older deliveries as their
  // states change, so `upTo` and `n` cannot tell one that left from an older one that entered. The ids
  // themselves can (actOnSelection refuses any it was not shown), as far as they fit in a request.
  const ids = (await db.select({ id: deliveries.id }).from(deliveries).where(open).orderBy(deliveries.id).limit(CONFIRMED_IDS_MAX + 1)).map((row) => row.id);
  if (ids.length <= CONFIRMED_IDS_MAX) return { n: ids.length, upTo: ids.at(-1) ?? 0, ids };
  const [row] = await db.select({ n: count(), upTo: max(deliveries.id) }).from(deliveries).where(open);
  return { n: row?.n ?? 0, upTo: row?.upTo ?? 0 };
}

/**
 * What a manual action did: how many deliveries it changed, which ones in the
 * selection it left alone because they were already closed (by state),
 * `confirmed` — how many the person confirmed (a filter's count; null for ids)
 * so fewer changed can be said, and `at` — the time on its audit rows, by
 * which the dashboard follows a retry (server/delivery/retry-outcome.ts).
 */
export type ActionResult = { changed: number; confirmed: number | null; skipped: { state: DeliveryState; n: number }[]; at: Date };

async function actOnSelection(
  db: Db,
  input: { selection: DeliverySelection; actor: string; note?: string; action: ActionKind; stateAfter: DeliveryState },
): Promise<ActionResult> {
  const now = new Date();
  const stillOpen = input.stateAfter === "pending";
  const result = await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: deliveries.id, state: deliveries.state, orderKey: deliveries.orderKey })
      .from(deliveries)
      .where(and(selectionCondition(input.selection), inArray(deliveries.state, OPEN_STATES)))
      .orderBy(deliveries.id)
      .for("update");
    // Within the counted ids more can match than were confirmed (an older delivery timed out meanwhile):
    // acting on them would change deliveries nobody saw in the count, so the person counts again.
    const confirmed = "filter" in input.selection ? input.selection.confirmed : undefined;
    const counted = confirmed?.ids ? new Set(confirmed.ids) : undefined;
    // With the counted ids, any other one is news to the person, however many left meanwhile (ConfirmedCount).
    if (confirmed && (counted ? rows.some((row) => !counted.has(row.id)) : rows.length > confirmed.n)) {
      throw new HubError(
        "conflict",
        // Read as is by the person in either UI language (toastFailure), so in both, as the notes' errors are.
        `计数后筛选结果有变：现有 ${rows.length} 条符合，确认时为 ${confirmed.n} 条，请重新计数 ` +
          `(the selection changed since it was counted: ${rows.length} deliveries match, ${confirmed.n} were confirmed; count again)`,
      );
    }
    // Before the updates below: afterwards the changed rows would count as closed too.
    const skipped = await tx
      .select({ state: deliveries.state, n: count() })
      .from(deliveries)
      .where(and(selectionCondition(input.selection), notInArray(deliveries.state, OPEN_STATES)))
      .groupBy(deliveries.state);
    for (let i = 0; i < rows.length; i += IDS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + IDS_PER_STATEMENT);
      await tx
        .update(deliveries)
        .set(
          stillOpen
            ? { state: "pending", nextAttemptAt: now, deadlineAt: freshDeadline(now), finishedAt: null }
            : { state: input.stateAfter, finishedAt: now, leaseUntil: null },
        )
        .where(inArray(deliveries.id, chunk.map((row) => row.id)));
      await tx.insert(deliveryActions).values(
        chunk.map((row) => ({
          deliveryId: row.id,
          action: input.action,
          actor: input.actor,
          note: input.note ?? null,
          stateBefore: row.state,
          stateAfter: input.stateAfter,
          createdAt: now,
        })),
      );
    }
    // A retried head releases its followers when it is delivered (finish-attempt.ts).
    if (!stillOpen) await releaseFollowers(tx, rows, now);
    // Closing the last open deliveries of a problem resolves it (SPEC §8).
    await recountProblemsOf(tx, rows.map((row) => row.id), now);
    await tx.execute(sql`select pg_notify(${DELIVERY_CHANNEL}, '')`);
    return { changed: rows.length, confirmed: confirmed?.n ?? null, skipped };
  });
  signalDeliveryQueued();
  return { ...result, at: now };
}

/**
 * Try again now, with a fresh retry window. Besides the ActionResult, returns
 * `followForMs`: how long the dashboard should follow the batch's outcome
 * (server/delivery/retry-outcome.ts).
 */
export async function retryDeliveriesNow(db: Db, input: { selection: DeliverySelection; actor: string; note?: string }) {
  const result = await actOnSelection(db, { ...input, action: "retry_now", stateAfter: "pending" });
  return { ...result, followForMs: followForMs(result.changed) };
}

const followForMs = (n: number) =>
  followRetryForMs(n, { attemptTimeoutMs: liveConfig().DELIVERY_TIMEOUT_MS, concurrency: liveConfig().DELIVERY_CONCURRENCY });

/** The other side has it by other means (phone, its own screen): stop, and let the queue behind it go. */
export async function resolveDeliveries(db: Db, input: { selection: DeliverySelection; actor: string; note: string }) {
  if (!input.note.trim()) throw new HubError("invalid_body", "note: 请说明如何处理 (say how it was resolved)");
  return actOnSelection(db, { ...input, action: "resolve", stateAfter: "resolved" });
}

/** It must not be delivered at all. */
export async function cancelDeliveries(db: Db, input: { selection: DeliverySelection; actor: string; note: string }) {
  if (!input.note.trim()) throw new HubError("invalid_body", "note: 请说明取消原因 (say why it is cancelled)");
  return actOnSelection(db, { ...input, action: "cancel", stateAfter: "cancelled" });
}

/**
 * Fix the body and send it again. The payload must pass the endpoint's schema and
 * keep the delivery's identity (see edit-rules.ts: dispatchNO and shopCode fixed,
 * no added fields outside the contract); the old one is kept in the audit row.
 * Returns `at`, the time on its audit row (to follow the resend like a retry).
 * Throws HubError not_found / conflict (closed delivery) / invalid_body.
 */
export async function editAndResendDelivery(
  db: Db,
  input: { id: number; payload: string; actor: string; note?: string },
): Promise<{ at: Date; followForMs: number }> {
  const now = new Date();
  await db.transaction(async (tx) => {
    const [delivery] = await tx.select().from(deliveries).where(eq(deliveries.id, input.id)).for("update");
    if (!delivery) throw new HubError("not_found", `delivery ${input.id} not found`);
    if (!OPEN_STATES.includes(delivery.state)) {
      throw new HubError("conflict", `delivery ${input.id} is ${delivery.state}; only open deliveries can be resent`);
    }
    const payload = checkEditedPayload({
      path: delivery.path,
      before: delivery.payload,
      after: input.payload,
      noticeDispatchNo: await noticeDispatchNo(tx, delivery.noticeId),
    });
    await tx
      .update(deliveries)
      .set({
        payload,
        payloadVersion: delivery.payloadVersion + 1,
        state: "pending",
        nextAttemptAt: now,
        deadlineAt: freshDeadline(now),
        finishedAt: null,
      })
      .where(eq(deliveries.id, delivery.id));
    await tx.insert(deliveryActions).values({
      deliveryId: delivery.id,
      action: "edit_and_resend",
      actor: input.actor,
      note: input.note ?? null,
      stateBefore: delivery.state,
      stateAfter: "pending",
      payloadBefore: delivery.payload,
      payloadAfter: payload,
      createdAt: now,
    });
    await tx.execute(sql`select pg_notify(${DELIVERY_CHANNEL}, '')`);
  });
  signalDeliveryQueued();
  return { at: now, followForMs: followForMs(1) };
}

/** The dispatchNO of a delivery's notice (null when the delivery has none, e.g. an unmatched refund). */
export async function noticeDispatchNo(db: Db, noticeId: number | null): Promise<string | null> {
  if (noticeId === null) return null;
  const [notice] = await db.select({ dispatchNo: notices.dispatchNo }).from(notices).where(eq(notices.id, noticeId));
  return notice?.dispatchNo ?? null;
}
