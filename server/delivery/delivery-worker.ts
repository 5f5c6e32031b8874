import { hostname } from "node:os";
import { and, eq, gt, min } from "drizzle-orm";
import type { HubDatabase } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { getConfig } from "@/server/config";
import { claimDueDeliveries } from "@/server/delivery/claim-deliveries";
import { DELIVERY_CHANNEL } from "@/server/delivery/enqueue-delivery";
import { sendAttempt } from "@/server/delivery/attempt-delivery";
import { createAttemptRecorder } from "@/server/delivery/finish-attempt";
import { configuredTargets } from "@/server/delivery/targets";
import { log as rootLog } from "@/server/log";
import { observeAttempt } from "@/server/metrics";
import { workerHeartbeat } from "@/server/health";
import { deliverySignal } from "@/server/delivery/wake";

export type DeliveryWorker = { id: string; wake(): void; stop(): Promise<void> };

export type DeliveryWorkerOptions = {
  hub: HubDatabase;
  /** Attempts in flight at once in this process (default DELIVERY_CONCURRENCY). */
  concurrency?: number;
  /** Safety-net poll when no wake-up comes. */
  pollMs?: number;
  id?: string;
};

const LEASE_SLACK_MS = 5000;

/**
 * Delivers the outbox. Woken by commits (in-process signal and LISTEN), by its
 * own finished attempts, and by the next retry falling due; polls only as a net.
 */
export async function startDeliveryWorker(options: DeliveryWorkerOptions): Promise<DeliveryWorker> {
  const { db } = options.hub;
  const concurrency = options.concurrency ?? getConfig().DELIVERY_CONCURRENCY;
  const pollMs = options.pollMs ?? 2000;
  const id = options.id ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 6)}`;
  const log = rootLog.child({ component: "delivery-worker", worker: id });
  const inFlight = new Set<Promise<void>>();
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
    const [row] = await db
      .select({ next: min(deliveries.nextAttemptAt) })
      .from(deliveries)
      .where(and(eq(deliveries.state, "pending"), gt(deliveries.nextAttemptAt, new Date())));
    return row?.next ? Math.max(10, row.next.getTime() - Date.now()) : pollMs;
  }

  // Claiming costs a round trip whatever its size: wait until a quarter of the
  // slots are free (or none is busy) rather than claim after every attempt.
  const claimBatch = Math.max(1, Math.floor(concurrency / 4));
  const record = createAttemptRecorder(db);
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

  const loop = (async () => {
    let failures = 0;
    while (running) {
      woken = false;
      workerHeartbeat(id);
      try {
        const config = getConfig();
        const free = concurrency - inFlight.size;
        const worthClaiming = free >= claimBatch || inFlight.size === 0;
        const claimed = worthClaiming
          ? await claimDueDeliveries(db, {
              limit: free,
              leaseMs: config.DELIVERY_TIMEOUT_MS + LEASE_SLACK_MS,
              targets: configuredTargets(config),
            })
          : [];
        for (const delivery of claimed) {
          // The slot is free once the other side has answered; writing the
          // outcome joins the recorder's next batch. The lease covers the gap.
          const job: Promise<void> = sendAttempt(delivery, { worker: id })
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
              wake();
            });
          inFlight.add(job);
        }
        failures = 0;
        if (worthClaiming && claimed.length === free) continue;
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
    async stop() {
      running = false;
      wake();
      await loop;
      await Promise.allSettled([...inFlight]);
      await Promise.allSettled([...recording]);
      deliverySignal.removeEventListener("queued", wake);
      workerHeartbeat(id, null);
      await unlisten().catch(() => {});
    },
  };
}
