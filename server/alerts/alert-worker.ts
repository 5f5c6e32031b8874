import { hostname } from "node:os";
import type { Db, HubDatabase } from "@/db/client";
import { PROBLEM_CHANNEL } from "@/server/problems/apply-problems";
import type { ProblemFact } from "@/server/alerts/alert-rules";
import { registerAlertMetrics } from "@/server/alerts/alert-metrics";
import { claimDueSends, deliverSend } from "@/server/alerts/alert-sender";
import { evaluateAlerts } from "@/server/alerts/evaluate-alerts";
import { provisionEnvironmentChannels } from "@/server/alerts/provision-channels";
import { readProblemFacts } from "@/server/alerts/problem-facts";
import { getConfig, type HubConfig } from "@/server/config";
import { log as rootLog } from "@/server/log";

export type AlertWorker = {
  id: string;
  /** One round: evaluate the rules, then send what is due (tests call it with a fake clock). */
  runOnce(): Promise<{ sent: number; failed: number; retried: number }>;
  stop(): Promise<void>;
};

export type AlertWorkerOptions = {
  db: Db;
  /** The clock every rule and send uses; tests inject one. */
  now?: () => Date;
  /** Rounds every this many ms (default ALERT_EVALUATE_INTERVAL_MS); 0 = no timed rounds, only runOnce and wake-ups. */
  intervalMs?: number;
  config?: () => HubConfig;
  readProblems?: (db: Db) => Promise<ProblemFact[]>;
  /** LISTEN, to be woken when a problem changes state (HubDatabase.listen); without it, rounds keep the interval. */
  listen?: HubDatabase["listen"];
  id?: string;
};

// Messages in flight at once per process; each is bounded by ALERT_SEND_TIMEOUT_MS.
const SEND_BATCH = 8;

/**
 * The alerts' own loop, off every request path: partner calls and deliveries
 * never wait for a chat robot. Each round evaluates the rules (one instance
 * at a time, evaluate-alerts.ts) and sends due messages in batches until none
 * is due or every channel's per-minute budget is spent; a dead channel costs
 * at most ALERT_SEND_TIMEOUT_MS per message and then waits its back-off.
 */
export async function startAlertWorker(options: AlertWorkerOptions): Promise<AlertWorker> {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const config = options.config ?? getConfig;
  const readProblems = options.readProblems ?? readProblemFacts;
  const id = options.id ?? `${hostname()}:${process.pid}:alerts`;
  const log = rootLog.child({ component: "alert-loop", worker: id });
  const intervalMs = options.intervalMs ?? config().ALERT_EVALUATE_INTERVAL_MS;
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();

  await provisionEnvironmentChannels(db, config());
  registerAlertMetrics();

  async function runOnce() {
    const settings = config();
    const publicUrl = settings.HUB_PUBLIC_URL ?? settings.PUBLIC_URL;
    await evaluateAlerts(db, { now: now(), publicUrl, readProblems });
    const totals = { sent: 0, failed: 0, retried: 0 };
    for (;;) {
      const at = now();
      const claimed = await claimDueSends(db, { now: at, limit: SEND_BATCH, leaseMs: settings.ALERT_SEND_TIMEOUT_MS + 5000 });
      if (!claimed.length) break;
      const results = await Promise.all(claimed.map((send) => deliverSend(db, send, { now: at, timeoutMs: settings.ALERT_SEND_TIMEOUT_MS, env: settings })));
      for (const { result } of results) totals[result]++;
    }
    return totals;
  }

  let failures = 0;
  let busy = false;
  let again = false;
  const tick = () => {
    if (!running) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    if (timer) clearTimeout(timer);
    current = runOnce()
      .then(() => (failures = 0))
      .catch((error: unknown) => {
        failures++;
        if (failures === 1 || failures % 20 === 0) log.error({ err: error, failures }, "alert round failed; next round as usual");
      })
      .finally(() => {
        busy = false;
        // Woken during the round: go again now; otherwise wait the interval (0: rounds only when woken or called).
        if (running && (again || intervalMs > 0)) timer = setTimeout(tick, again ? 0 : intervalMs).unref();
        again = false;
      });
  };
  if (intervalMs > 0) timer = setTimeout(tick, Math.min(intervalMs, 1000)).unref();
  // A problem opening or resolving (server/problems NOTIFYs it) starts a round at once instead of at the next interval.
  const unlisten = options.listen
    ? await options.listen(PROBLEM_CHANNEL, tick).catch((error: unknown) => {
        log.warn({ err: error }, "LISTEN for problem changes failed; alerts go out on the interval only");
        return undefined;
      })
    : undefined;

  return {
    id,
    runOnce,
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await unlisten?.().catch(() => {});
      await current.catch(() => {});
    },
  };
}
