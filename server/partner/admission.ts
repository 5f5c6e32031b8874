import { getConfig } from "@/server/config";

/**
 * Admission of partner calls to the database, per instance (issue 13,
 * "overload is answered, never dropped"): at most `concurrent` calls run their
 * database work at once (the pool's connections; 1 on the embedded database,
 * whose one connection runs one transaction at a time), the others wait in
 * arrival order. A call that would wait longer than `waitMs` (ms), or that
 * finds `inFlight` calls already running or waiting, is turned away at once, so
 * the route answers 503 with Retry-After — the seed's partners retry on
 * anything but 200 (SPEC §3) — instead of holding the caller for seconds while
 * a backlog builds that nobody can drain.
 */
export type AdmissionLimits = { concurrent: number; inFlight: number; waitMs: number };

type Waiter = { admit: (release: (() => void) | null) => void; timer: ReturnType<typeof setTimeout>; since: number };

export class CallAdmission {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly limits: () => AdmissionLimits) {}

  /**
   * Resolves with a release function (call it once, when the call's database
   * work is done) when the call may go on, or with null when it is turned away:
   * the instance is at `inFlight`, or no slot freed within `waitMs`.
   */
  enter(): Promise<(() => void) | null> {
    const { concurrent, inFlight, waitMs } = this.limits();
    if (this.running < concurrent && this.waiting.length === 0) {
      this.running++;
      return new Promise((resolve) => this.admit(resolve));
    }
    if (this.running + this.waiting.length >= inFlight) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        admit: resolve,
        since: performance.now(),
        timer: setTimeout(() => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          resolve(null);
        }, waitMs),
      };
      this.waiting.push(waiter);
    });
  }

  /** Calls running and waiting now, for tests and metrics. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** True when `enter()` would turn a call away at once: `inFlight` calls already run or wait. */
  get full(): boolean {
    return this.running + this.waiting.length >= this.limits().inFlight;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.admitWaiting();
    };
  }

  private admitWaiting() {
    const { concurrent, waitMs } = this.limits();
    while (this.running < concurrent && this.waiting.length > 0) {
      const waiter = this.waiting.shift()!;
      clearTimeout(waiter.timer);
      // A busy event loop fires the wait's timer late: the clock, not the timer, says whether it waited too long.
      if (performance.now() - waiter.since > waitMs) {
        waiter.admit(null);
        continue;
      }
      this.running++;
      this.admit(waiter.admit);
    }
  }

  /**
   * Lets the call go on from a macrotask (setImmediate). The embedded database
   * runs a whole transaction synchronously between microtasks: calls admitted
   * straight away would run back to back without the event loop reading a new
   * request or firing a timer, so callers would queue unseen in the sockets and
   * the listen backlog (reset once it is full, the ECONNRESETs of issue 13) and
   * no wait limit could turn anyone away. One turn of the loop per call lets
   * every request that arrived meanwhile reach this queue.
   */
  private admit(go: (release: (() => void) | null) => void) {
    setImmediate(() => go(this.releaser()));
  }
}

/** Seconds a caller turned away for load is told to wait: a queue of about a second drains in about that. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * The one answer to a partner call turned away for load, whether by the
 * admission queue in the route or before Next.js (server/http-server.ts):
 * 503, the partners' `{ success, msg }` shape (SPEC §3), Retry-After in seconds.
 */
export const BUSY_ANSWER = {
  status: 503,
  body: { success: false, msg: "服务繁忙, 请稍后重试 (hub busy; retry)" },
  headers: { "retry-after": String(BUSY_RETRY_AFTER_SECONDS) },
} as const;

// One queue per process, shared by every route bundle Next.js loads and by the node:http server around it.
const shared = globalThis as unknown as { hubAdmission?: CallAdmission; hubPoolMax?: number };

/**
 * The process's admission queue. Its limits are read on every call: as many at
 * once as the pool has connections (`useConnections`; 1 until the database is
 * open), PARTNER_CALLS_IN_FLIGHT running or waiting, PARTNER_QUEUE_WAIT_MS (ms).
 */
export function instanceAdmission(): CallAdmission {
  shared.hubAdmission ??= new CallAdmission(() => {
    const config = getConfig();
    return { concurrent: shared.hubPoolMax ?? 1, inFlight: config.PARTNER_CALLS_IN_FLIGHT, waitMs: config.PARTNER_QUEUE_WAIT_MS };
  });
  return shared.hubAdmission;
}

/** The database's pool size (connections), the number of calls the queue lets run at once. */
export function useConnections(poolMax: number): void {
  shared.hubPoolMax = poolMax;
}
