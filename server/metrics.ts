import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { getConfig } from "@/server/config";

/**
 * The process's Prometheus registry and the hub's own series (SPEC §9),
 * served by `GET /metrics` (app/metrics/route.ts) in the text format.
 *
 * One registry per process, kept on globalThis: Next.js may load this module
 * once per route bundle, and a second registry would count half the calls.
 *
 * Adding a series (the problems and alerts code register "open problems" and
 * "alert sends" this way): call `hubMetrics()` and use `.registry`:
 *
 *   const sends = metricOnce("hub_alert_sends_total", () =>
 *     new Counter({ name: "hub_alert_sends_total", help: "…", labelNames: ["channel_kind", "outcome"], registers: [hubMetrics().registry] }));
 *
 * `metricOnce` returns the one already registered under that name, so a module
 * loaded twice does not register twice. A gauge read from the database sets its
 * value in `collect()` — keep that query bounded (an index range, LIMIT, or an
 * estimate), never a count over a table that grows. Labels take bounded values
 * only: side, path, outcome, state, kind — never a dispatchNO or an id.
 * Names follow Prometheus conventions: `hub_` prefix, base units (`_seconds`,
 * `_bytes`), `_total` for counters.
 *
 * With METRICS=off (server/config.ts) nothing is counted: the observe/count
 * functions return before touching a series (series of other modules: guard
 * their inc/observe with `metricsOn()`), process metrics are not collected, and
 * GET /metrics answers 404.
 */

export type CallOutcome = "accepted" | "rejected" | "duplicate" | "invalid" | "unauthorized" | "unavailable" | "internal";

// Seconds. Partner calls answer in ms; a delivery may wait for a partner's outage (hours).
const CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DELIVERED_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600];

/** Whether the hub counts (METRICS, default on); read per call, so a test may switch it with setConfigForTests. */
export function metricsOn(): boolean {
  return getConfig().METRICS === "on";
}

function createHubMetrics() {
  const registry = new Registry();
  // The event-loop monitor and GC observer behind the process metrics cost a little all the time: only when counting.
  if (metricsOn()) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    callsIn: new Counter({
      name: "hub_partner_calls_total",
      help: "Calls partners made to the hub, by calling side, path and outcome.",
      labelNames: ["side", "path", "outcome"] as const,
      registers,
    }),
    callDuration: new Histogram({
      name: "hub_partner_call_duration_seconds",
      help: "Time from a partner call's arrival to the hub's answer, by side and path.",
      labelNames: ["side", "path"] as const,
      buckets: CALL_BUCKETS,
      registers,
    }),
    attempts: new Counter({
      name: "hub_delivery_attempts_total",
      help: "Delivery attempts to a side, by target side and outcome (delivered, rejected, failed).",
      labelNames: ["side", "outcome"] as const,
      registers,
    }),
    acceptToDelivered: new Histogram({
      name: "hub_delivery_accept_to_delivered_seconds",
      help: "Time from a call's acceptance to its delivery to the other side, by target side.",
      labelNames: ["side"] as const,
      buckets: DELIVERED_BUCKETS,
      registers,
    }),
  };
}

export type HubMetrics = ReturnType<typeof createHubMetrics>;

const holder = globalThis as unknown as { hubMetrics?: HubMetrics };

/** The process's registry and the hub's own series. */
export function hubMetrics(): HubMetrics {
  holder.hubMetrics ??= createHubMetrics();
  return holder.hubMetrics;
}

/** The metric registered under `name`, or the one `create` registers now. */
export function metricOnce<T>(name: string, create: () => T): T {
  return (hubMetrics().registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** A partner call answered: `seconds` from arrival to answer. */
export function observePartnerCall(side: string, path: string, outcome: CallOutcome, seconds: number): void {
  if (!metricsOn()) return;
  const metrics = hubMetrics();
  metrics.callsIn.inc({ side, path, outcome });
  metrics.callDuration.observe({ side, path }, seconds);
}

/** A delivery attempt's outcome written; `acceptedAt` for the accept → delivered time. */
export function observeAttempt(side: string, outcome: "delivered" | "rejected" | "failed", acceptedAt: Date, now = Date.now()): void {
  if (!metricsOn()) return;
  const metrics = hubMetrics();
  metrics.attempts.inc({ side, outcome });
  if (outcome === "delivered") metrics.acceptToDelivered.observe({ side }, Math.max(0, (now - acceptedAt.getTime()) / 1000));
}

export { Counter, Gauge, Histogram };
