import { hostname } from "node:os";
import { and, eq, gt, inArray, min, sql } from "drizzle-orm";
import type { HubDatabase } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { rowsOf } from "@/db/rows";
import { deliveries } from "@/db/schema/deliveries";
import { claimDueDeliveries, type ClaimedDelivery } from "@/server/delivery/claim-deliveries";
import { DELIVERY_CHANNEL } from "@/server/delivery/enqueue-delivery";
import { sendAttempt } from "@/server/delivery/attempt-delivery";
import { createAttemptRecorder } from "@/server/delivery/finish-attempt";
import { configuredTargets } from "@/server/delivery/targets";
import { log as rootLog } from "@/server/log";
import { observeAttempt } from "@/server/metrics";
import { workerHeartbeat } from "@/server/delivery/worker-heartbeat";
import { deliverySignal } from "@/server/delivery/wake";
import { liveConfig, refreshLiveConfig, SETTINGS_CHANNEL } from "@/server/settings/live-settings";

export type DeliveryWorker = {
  id: string;
  wake(): void;
  /**
   * Stops claiming, then waits for the attempts in flight and their outcomes'
   * writes. After `graceMs` (default: no limit) the deliveries still in flight
   * get their leases back (`lease_until` cleared, still pending), so another
   * worker takes them at once instead of after the lease; returns how many.
   * Claimed deliveries never sent (`unsent`) are given back at once, their
   * attempt count as before the claim.
   */
  stop(options?: { graceMs?: number }): Promise<{ released: number; unsent: number }>;
};

export type DeliveryWorkerOptions = {
  hub: HubDatabase;
  /** Attempts in flight at once in this process (default DELIVERY_CONCURRENCY, as in force: an admin may change it live). */
  concurrency?: number;
  /** Safety-net poll when no wake-up comes. */
  pollMs?: number;
  id?: string;
  /** The clock that judges a finished attempt: retry times and the deadline (default the wall clock; tests move it). */
  now?: () => Date;
};

const LEASE_SLACK_MS = 5000;

/** True when every promise settled before `until` (ms since the epoch). */
async function settledWithin(promises: Promise<unknown>[], until: number): Promise<boolean> {
  const left = until - Date.now();
  if (!Number.isFinite(left)) {
    await Promise.allSettled(promises);
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, left))));
  const all = Promise.allSettled(promises).then(() => true as const);
  try {
    return await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Built once (db/prepared-in-transaction.ts, issue 13): an idle worker runs the first every turn of its
// loop; a stopping one the others, with its deliveries (any number) as one JSON array.
const nextDue = preparedInTransaction("worker_next_due", (db) =>
  db
    .select({ next: min(deliveries.nextAttemptAt) })
    .from(deliveries)
    .where(and(eq(deliveries.state, "pending"), gt(deliveries.nextAttemptAt, sql.placeholder("now")))),
);

const releaseStatement = preparedInTransaction("worker_release_leases", (db) =>
  db
    .update(deliveries)
    .set({ leaseUntil: null })
    .where(
      and(
        inArray(deliveries.id, sql`(select value::bigint from jsonb_array_elements_text(${sql.placeholder("ids")}::jsonb))`),
        eq(deliveries.state, "pending"),
      ),
    )
    .returning({ id: deliveries.id }),
);

const returnUnsentStatement = preparedInTransaction("worker_return_unsent", (db) =>
  db.execute(sql`
    update ${deliveries} as d set lease_until = null, attempts = d.attempts - 1
    from jsonb_to_recordset(${sql.placeholder("rows")}::jsonb) as c (id bigint, attempts int)
    where d.id = c.id and d.attempts = c.attempts and d.state = 'pending'
    returning d.id`),
);

/** Gives claimed, still-pending deliveries back to the pool now. Returns how many. */
async function releaseLeases(db: HubDatabase["db"], ids: number[]): Promise<number> {
  const released = await releaseStatement.run(db, { ids: JSON.stringify(ids) });
  return released.length;
}

/**
 * Gives back deliveries claimed but never sent: no lease, and the attempt the
 * claim counted taken back. Matches only a row still on the claim's attempt, so
 * a delivery another worker took after the lease ran out is left alone.
 */
async function returnUnsent(db: HubDatabase["db"], claimed: ClaimedDelivery[]): Promise<number> {
  if (claimed.length === 0) return 0;
  const rows = claimed.map((delivery) => ({ id: delivery.id, attempts: delivery.attempts }));
  return rowsOf(await returnUnsentStatement.run(db, { rows: JSON.stringify(rows) })).length;
}

/**
 * Delivers the outbox. Woken by commits (in-process signal and LISTEN), by its
 * own finished attempts, and by the next retry falling due; polls only as a net.
 */
export async function startDeliveryWorker(options: DeliveryWorkerOptions): Promise<DeliveryWorker> {
  const { db } = options.hub;
  const pollMs = options.pollMs ?? 2000;
  const id = options.id ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 6)}`;
  const log = rootLog.child({ component: "delivery-worker", worker: id });
  const inFlight = new Set<Promise<void>>();
  // Claimed, and the other side has not answered yet: what a bounded stop gives back.
  const awaitingAnswer = new Map<number, ClaimedDelivery>();
  let running = true;
  let woken = false;
  let release: (() => void) | undefined;

  const wake = () => {
    woken = true;
    release?.();
  };
  deliverySignal.addEventListener("queued", wake);
  const unlisten = await options.hub.listen(DELIVERY_CHANNEL, wake).catch((error: unknown) => {
    log.warn({ err: error }, "LISTEN failed; falling back to polling");
    return async () => {};
  });
  // An admin saved a setting (target, token, timeout, concurrency): read it before the next claim.
  const unlistenSettings = await options.hub
    .listen(SETTINGS_CHANNEL, () => void refreshLiveConfig(db).finally(wake))
    .catch(() => async () => {});
  await refreshLiveConfig(db);

  async function sleepUntilWoken(ms: number) {
    if (woken) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      release = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    release = undefined;
  }

  async function msUntilNextDue(): Promise<number> {
    const [row] = await nextDue.run(db, { now: new Date() });
    return row?.next ? Math.max(10, row.next.getTime() - Date.now()) : pollMs;
  }

  const record = createAttemptRecorder(db, 64, options.now);
  const recording = new Set<Promise<unknown>>();
  // A written outcome may free the next delivery of its notice: wake the loop then too.
  const track = (written: Promise<unknown>) => {
    const settled = written
      .catch((error: unknown) => log.error({ err: error }, "attempt not recorded; its lease will expire and it goes again"))
      .finally(() => {
        recording.delete(settled);
        wake();
      });
    recording.add(settled);
  };

  // Claimed but not sent yet: a claim takes up to a whole round of slots ahead, so
  // one claim (whose cost is mostly walking the queue's index, whatever its size)
  // serves `concurrency` messages instead of the few slots free at that moment.
  const ready: ClaimedDelivery[] = [];
  let slots = options.concurrency ?? liveConfig().DELIVERY_CONCURRENCY;

  function send(delivery: ClaimedDelivery) {
    // The slot is free once the other side has answered; writing the
    // outcome joins the recorder's next batch. The lease covers the gap.
    awaitingAnswer.set(delivery.id, delivery);
    const job: Promise<void> = sendAttempt(delivery, { worker: id })
      .finally(() => awaitingAnswer.delete(delivery.id))
      .then((finished) => {
        if (!finished) return;
        const written = record(finished);
        written.then(
          ({ verdict }) => observeAttempt(delivery.target, verdict.outcome, delivery.createdAt),
          () => {},
        );
        track(written);
      })
      .catch((error: unknown) =>
        log.error({ err: error, deliveryId: delivery.id, dispatchNO: delivery.orderKey }, "attempt failed"),
      )
      .finally(() => {
        inFlight.delete(job);
        // The freed slot takes the next claimed delivery now, not after the loop's claim returns.
        if (running && ready.length > 0 && inFlight.size < slots) send(ready.shift()!);
        wake();
      });
    inFlight.add(job);
  }

  const loop = (async () => {
    let failures = 0;
    while (running) {
      woken = false;
      workerHeartbeat(id);
      try {
        // The settings in force (re-read every few seconds, and at once on a save's NOTIFY).
        const config = liveConfig();
        const concurrency = (slots = options.concurrency ?? config.DELIVERY_CONCURRENCY);
        while (ready.length > 0 && inFlight.size < concurrency) send(ready.shift()!);
        // Claiming costs about the same whatever its size: claim a round ahead
        // (up to `concurrency` waiting beside the slots) once at least a round's
        // worth of room is free, or at once when nothing is claimed at all.
        // An idle worker takes only a round: a burst is shared with the other
        // workers woken by the same NOTIFY instead of one of them taking two rounds.
        const idle = inFlight.size + ready.length === 0;
        const room = idle ? concurrency : 2 * concurrency - inFlight.size - ready.length;
        const worthClaiming = idle || room >= concurrency;
        // A claimed delivery waits at most one attempt's time limit for a slot
        // (each busy slot answers or times out within it), then takes its own.
        const leaseMs = 2 * config.DELIVERY_TIMEOUT_MS + LEASE_SLACK_MS;
        const claimed = worthClaiming
          ? await claimDueDeliveries(db, { limit: room, leaseMs, targets: configuredTargets(config) })
          : [];
        for (const delivery of claimed) {
          if (inFlight.size < concurrency) send(delivery);
          else ready.push(delivery);
        }
        failures = 0;
        if (worthClaiming && claimed.length === room) continue;
        // A finishing attempt wakes the loop; only an idle worker needs to know when the next retry falls due.
        await sleepUntilWoken(inFlight.size > 0 ? pollMs : Math.min(pollMs, await msUntilNextDue()));
      } catch (error) {
        // The database is away: keep trying, a little slower each time.
        failures++;
        if (failures === 1 || failures % 30 === 0) log.error({ err: error, failures }, "cannot reach the database");
        await sleepUntilWoken(Math.min(5000, 200 * 2 ** Math.min(failures, 5)));
      }
    }
  })();

  return {
    id,
    wake,
    async stop({ graceMs = Number.POSITIVE_INFINITY } = {}) {
      const until = Date.now() + graceMs;
      running = false;
      wake();
      await loop;
      // Never sent: back to the pool now, for this or another worker's next claim.
      const unsent = await returnUnsent(db, ready.splice(0)).catch((error: unknown) => {
        log.error({ err: error }, "could not give unsent deliveries back; their leases expire by themselves");
        return 0;
      });
      const drained = await settledWithin([...inFlight], until);
      let released = 0;
      if (!drained && awaitingAnswer.size > 0) {
        const ids = [...awaitingAnswer.keys()];
        released = await releaseLeases(db, ids).catch((error: unknown) => {
          log.error({ err: error, deliveries: ids.length }, "could not give leases back; they expire by themselves");
          return 0;
        });
        log.warn({ released, graceMs }, "attempts still in flight at shutdown: leases given back");
      }
      await settledWithin([...recording], Math.max(until, Date.now() + 1000));
      deliverySignal.removeEventListener("queued", wake);
      workerHeartbeat(id, null);
      await Promise.all([unlisten().catch(() => {}), unlistenSettings().catch(() => {})]);
      return { released, unsent };
    },
  };
}
