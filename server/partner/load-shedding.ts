import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { getConfig } from "@/server/config";
import { partnerEndpoints, type PartnerEndpoint } from "@/server/contract/endpoints";
import { instanceAdmission } from "@/server/partner/admission";

/**
 * Load shedding before Next.js (issue 13, "overload is answered, never
 * dropped"): when the process is saturated, a partner call still costs HTTP
 * parsing and Next.js's routing (~0.7 ms CPU) before the admission queue
 * (admission.ts) can turn it away, so on a starved CPU even the 503s came
 * seconds late. server/http-server.ts asks `shouldShed` as soon as a request's
 * headers are parsed and answers BUSY_ANSWER itself when it says so.
 *
 * A partner POST is shed when
 * - the admission queue is full (PARTNER_CALLS_IN_FLIGHT calls run or wait):
 *   the route would turn it away anyway, after the routing; or
 * - the event loop is late by more than PARTNER_SHED_EVENT_LOOP_DELAY_MS (ms):
 *   every call now waits that long just to be read, and taking more only makes
 *   the wait longer. The delay is the largest seen by
 *   perf_hooks.monitorEventLoopDelay over the last two windows of WINDOW_MS, or the
 *   time the window's own timer is overdue now (a turn of the loop still running).
 */
const WINDOW_MS = 100;

type LoopDelay = { histogram: IntervalHistogram; lastMs: number; previousMs: number; windowStartedAt: number };

const shared = globalThis as unknown as { hubLoopDelay?: LoopDelay };

function loopDelay(): LoopDelay {
  if (shared.hubLoopDelay) return shared.hubLoopDelay;
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const state: LoopDelay = { histogram, lastMs: 0, previousMs: 0, windowStartedAt: performance.now() };
  setInterval(() => {
    const now = performance.now();
    // The histogram's own timer may not have run since a long turn ended: this tick's lateness covers it.
    state.previousMs = state.lastMs;
    state.lastMs = Math.max(histogram.max / 1e6, now - state.windowStartedAt - WINDOW_MS);
    histogram.reset();
    state.windowStartedAt = now;
  }, WINDOW_MS).unref();
  shared.hubLoopDelay = state;
  return state;
}

/** How late the event loop runs now (ms): the last two windows' worst delay, or how overdue the current window is. */
export function eventLoopDelayMs(now = performance.now()): number {
  const state = loopDelay();
  return Math.max(state.lastMs, state.previousMs, now - state.windowStartedAt - WINDOW_MS);
}

/** Starts measuring the event loop's delay (the server calls it at start, so the first calls see a measured value). */
export function watchEventLoop(): void {
  loopDelay();
}

const byPath = new Map<string, PartnerEndpoint>(partnerEndpoints.map((endpoint) => [endpoint.path, endpoint]));

/** The partner endpoint a request is for (POST to a contract path, query ignored), else undefined. */
export function partnerEndpointOf(method: string | undefined, url: string | undefined): PartnerEndpoint | undefined {
  if (method !== "POST" || !url) return undefined;
  const query = url.indexOf("?");
  return byPath.get(query < 0 ? url : url.slice(0, query));
}

/** True when a partner call arriving now is to be answered BUSY_ANSWER before it reaches Next.js (see above). */
export function shouldShed(): boolean {
  return instanceAdmission().full || eventLoopDelayMs() > getConfig().PARTNER_SHED_EVENT_LOOP_DELAY_MS;
}
