import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { GET as live } from "@/app/api/health/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { closeHubDatabase } from "@/db/client";
import { getConfig, setConfigForTests } from "@/server/config";
import { checkReadiness } from "@/server/health";
import { HEARTBEAT_STALE_MS } from "@/server/delivery/worker-heartbeat";
import { useDeliveryHarness } from "@/test/delivery/harness";

const hub = useDeliveryHarness();

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

test("ready once the database answers, every migration is applied and the worker's loop turns", async () => {
  const response = await ready();
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({
    ok: true,
    checks: [
      { name: "database", ok: true },
      { name: "migrations", ok: true, detail: expect.stringMatching(/^(\d+) of \1 applied$/) },
      { name: "worker", ok: true },
    ],
  });
  expect(await (await live()).json()).toEqual({ ok: true });
});

test("a worker whose loop stopped turning makes the process not ready", async () => {
  const later = await checkReadiness(Date.now() + HEARTBEAT_STALE_MS + 5000);
  expect(later.ok).toBe(false);
  expect(later.checks.find((check) => check.name === "worker")).toMatchObject({ ok: false, detail: expect.stringMatching(/^no heartbeat for \d+ s$/) });
});

test("a process meant to run a worker is not ready while none runs (before it starts, after it stops); WORKER=off needs none", async () => {
  const beats = globalThis as unknown as { hubWorkerHeartbeats?: Map<string, number> };
  const running = beats.hubWorkerHeartbeats;
  beats.hubWorkerHeartbeats = new Map();
  try {
    const response = await ready();
    expect(response.status).toBe(503);
    expect((await response.json()).checks).toContainEqual({ name: "worker", ok: false, detail: "delivery worker not running" });
    setConfigForTests({ WORKER: "off" });
    const without = await checkReadiness();
    expect(without.ok).toBe(true);
    expect(without.checks.map((check) => check.name)).toEqual(["database", "migrations"]);
  } finally {
    setConfigForTests({ WORKER: "on" });
    beats.hubWorkerHeartbeats = running;
  }
});

test("a migration missing from the database is named", async () => {
  const { db } = hub.database;
  const [last] = rowsOf<{ id: number; hash: string; created_at: string }>(
    await db.execute(sql`select id, hash, created_at from drizzle.__drizzle_migrations order by id desc limit 1`),
  );
  await db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${last!.id}`);
  try {
    const response = await ready();
    expect(response.status).toBe(503);
    expect((await response.json()).checks).toContainEqual({ name: "migrations", ok: false, detail: expect.stringMatching(/^(\d+) of (?!\1)\d+ applied$/) });
  } finally {
    await db.execute(sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${last!.id}, ${last!.hash}, ${last!.created_at})`);
  }
  expect((await ready()).status).toBe(200);
});

test("the database away: 503 naming the database", async () => {
  const workingUrl = getConfig().DATABASE_URL;
  // An in-memory database would be lost by closing it: this one runs last.
  await closeHubDatabase();
  setConfigForTests({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/unreachable" });
  try {
    const response = await ready();
    expect(response.status).toBe(503);
    expect((await response.json()).checks).toContainEqual({ name: "database", ok: false, detail: "database unavailable" });
  } finally {
    setConfigForTests({ DATABASE_URL: workingUrl });
    await closeHubDatabase();
  }
});
