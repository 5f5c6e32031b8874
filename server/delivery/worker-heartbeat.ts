// Each delivery worker of this process says its loop turned; readiness
// (server/health.ts) reads it. Kept apart from the readiness checks, which sit
// above the partner routes, so the worker does not import upwards.

/** A worker's loop older than this is stuck (it turns at least every poll, 2 s by default). */
export const HEARTBEAT_STALE_MS = 30_000;

const beats = globalThis as unknown as { hubWorkerHeartbeats?: Map<string, number> };

/** Called by each delivery worker of this process on every turn of its loop; `null` when it stops. */
export function workerHeartbeat(workerId: string, at: number | null = Date.now()): void {
  beats.hubWorkerHeartbeats ??= new Map();
  if (at === null) beats.hubWorkerHeartbeats.delete(workerId);
  else beats.hubWorkerHeartbeats.set(workerId, at);
}

/** [workerId, last turn (ms since the epoch)] of every worker of this process still running. */
export function workerHeartbeats(): [string, number][] {
  return [...(beats.hubWorkerHeartbeats ?? new Map<string, number>()).entries()];
}
