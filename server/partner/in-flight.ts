/**
 * A cap on one partner token's calls in flight (per instance), so one caller
 * sending a hundred 1 MiB bodies at once cannot exhaust the hub's memory: a
 * call past the cap is answered 503 with Retry-After before its body is read
 * (partners retry on anything but 200, SPEC §3). Keyed by the token's label,
 * which is unique per token.
 */
export class InFlightSlots {
  private readonly inFlight = new Map<string, number>();

  /** @param limit calls in flight per key at once (≥ 1). */
  constructor(private readonly limit: () => number) {}

  /** A release function when a slot was free (call it once, when the call is answered); null when the key is at its cap. */
  tryAcquire(key: string): (() => void) | null {
    const now = this.inFlight.get(key) ?? 0;
    if (now >= this.limit()) return null;
    this.inFlight.set(key, now + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(key);
      else this.inFlight.set(key, left);
    };
  }

  /** Calls in flight for a key, for tests and metrics. */
  count(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }
}

/** Seconds a caller turned away at the cap is told to wait: the calls ahead of it take milliseconds. */
export const IN_FLIGHT_RETRY_AFTER_SECONDS = 1;
