import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { isDatabaseUnavailable } from "@/db/unavailable";
import { getConfig } from "@/server/config";
import { HEARTBEAT_STALE_MS, workerHeartbeats } from "@/server/delivery/worker-heartbeat";
import { warmUpProgress } from "@/server/partner/warm-up";

/** Healthy once the database answers; getDb() only resolves after migrations ran. */
export async function checkHealth(): Promise<{ ok: boolean; error?: string }> {
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: isDatabaseUnavailable(error) ? "database unavailable" : "database not ready" };
  }
}

export type ReadinessCheck = { name: "database" | "migrations" | "worker" | "warm-up"; ok: boolean; detail?: string };

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

function expectedMigrations(): number {
  const journal = JSON.parse(fs.readFileSync(path.join(process.cwd(), "db/migrations/meta/_journal.json"), "utf8")) as { entries: unknown[] };
  return journal.entries.length;
}

/**
 * Readiness (SPEC §9, `GET /api/health/ready`): the database answers, every
 * migration this build knows is applied, and — when this process runs a
 * delivery worker (WORKER=on) — its loop turned within HEARTBEAT_STALE_MS.
 * A process that should run a worker but has none (not started yet, or
 * stopped) is not ready: a fresh start answered ready before its worker ran.
 * Under `npm start`, not ready either until its warm-up (server/partner/warm-up.ts)
 * is done, so a load balancer sends nothing to a cold instance (issue 13).
 * Returns each check; ready when all are ok.
 */
export async function checkReadiness(now = Date.now()): Promise<{ ok: boolean; checks: ReadinessCheck[] }> {
  const checks: ReadinessCheck[] = [];
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    checks.push({ name: "database", ok: true });
    const [row] = rowsOf<{ applied: number }>(await db.execute(sql`select count(*)::int as applied from drizzle.__drizzle_migrations`));
    const applied = Number(row?.applied ?? 0);
    const expected = expectedMigrations();
    checks.push({ name: "migrations", ok: applied >= expected, detail: `${applied} of ${expected} applied` });
  } catch (error) {
    checks.push({ name: "database", ok: false, detail: isDatabaseUnavailable(error) ? "database unavailable" : "database not ready" });
  }
  const workers = workerHeartbeats();
  if (workers.length === 0 && getConfig().WORKER === "on") {
    checks.push({ name: "worker", ok: false, detail: "delivery worker not running" });
  } else if (workers.length > 0) {
    const stale = workers.filter(([, at]) => now - at > HEARTBEAT_STALE_MS);
    checks.push({
      name: "worker",
      ok: stale.length === 0,
      detail: stale.length ? `no heartbeat for ${Math.round((now - Math.min(...stale.map(([, at]) => at))) / 1000)} s` : undefined,
    });
  }
  const warmUp = warmUpProgress();
  if (warmUp) checks.push({ name: "warm-up", ok: warmUp.done, detail: warmUp.done ? undefined : `warming up: ${warmUp.sent} of ${warmUp.of} calls` });
  return { ok: checks.every((check) => check.ok), checks };
}
