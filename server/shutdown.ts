/**
 * What a process does on SIGTERM / SIGINT (SPEC §9 "SIGTERM drains"): the
 * parts that run background work register a step here; the entry point
 * (server/http-main.ts for `npm start`, worker-main.ts for `npm run worker`)
 * runs them, closes the pool and exits 0.
 *
 * Kept on globalThis: the steps are registered from Next.js's route bundles
 * and run from the entry point, which load this module separately.
 */

/** A step gets the time left (ms) and must settle within it. */
export type ShutdownStep = (graceMs: number) => Promise<void>;

const holder = globalThis as unknown as { hubShutdownSteps?: Map<string, ShutdownStep> };

/** Registers (or replaces) the step called `name`. */
export function onShutdown(name: string, step: ShutdownStep): void {
  holder.hubShutdownSteps ??= new Map();
  holder.hubShutdownSteps.set(name, step);
}

/** Runs every registered step at once, each given `graceMs`; resolves when all settled. */
export async function runShutdownSteps(graceMs: number): Promise<void> {
  const steps = [...(holder.hubShutdownSteps ?? new Map<string, ShutdownStep>()).values()];
  holder.hubShutdownSteps = new Map();
  await Promise.allSettled(steps.map((step) => step(graceMs)));
}
