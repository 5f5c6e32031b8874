import type { ChildProcess } from "node:child_process";
import { inArray, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { deliveries } from "@/db/schema/deliveries";
import type { Db } from "@/db/client";
import { expectDeliveredOnceInOrder, startTraffic, useCluster, waitUntilAllDelivered } from "@/test/reliability/cluster";
import { describeWithPostgres } from "@/test/postgres-server";

// SIGTERM to the process that delivers, mid-stream (issue 10): it stops
// claiming, lets attempts in flight finish or gives their leases back, closes
// its pool and exits 0. After a restart every accepted message is delivered,
// once and in order, and no delivery is left leased.

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null) return Promise.resolve({ code: child.exitCode, signal: null });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** The child's JSON log lines, as they come. */
function linesOf(child: ChildProcess): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  let rest = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    const parts = (rest + chunk.toString("utf8")).split("\n");
    rest = parts.pop()!;
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  return lines;
}

/** Deliveries waiting to be claimed: pending and not leased. */
async function queuedCount(db: Db) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(deliveries)
    .where(sql`${deliveries.state} = 'pending' and (${deliveries.leaseUntil} is null or ${deliveries.leaseUntil} < now())`);
  return row!.n;
}

describeWithPostgres("SIGTERM to the delivering process mid-stream", () => {
  const cluster = useCluster();

  test("drains within its grace: exit 0, nothing lost, nothing left leased", async () => {
    const { db } = cluster.database;
    // A grace and a time limit far past what the test needs: here every attempt in flight must finish, none be given back.
    const spawnWorker = () => cluster.spawnHub("server/delivery/worker-main.ts", { SHUTDOWN_GRACE_MS: "30000", DELIVERY_TIMEOUT_MS: "30000" });
    let worker = spawnWorker();
    const traffic = startTraffic({ perSecond: 20 });

    for (let round = 0; round < 3; round++) {
      const arrived = cluster.arrivals.length;
      await expect.poll(() => cluster.arrivals.length, { timeout: 60_000, interval: 20 }).toBeGreaterThan(arrived + 5);
      // SIGTERM lands mid-stream by construction: attempts are held in flight at the fakes, more deliveries queue behind them.
      const releases = [cluster.oms.holdAnswers(), cluster.pos.holdAnswers()];
      const heldFrom = cluster.arrivals.length;
      await expect.poll(() => cluster.arrivals.length, { timeout: 60_000, interval: 20 }).toBeGreaterThan(heldFrom);
      await expect.poll(() => queuedCount(db), { timeout: 60_000, interval: 20 }).toBeGreaterThan(0);
      const exited = exitOf(worker);
      const output = linesOf(worker);
      worker.kill("SIGTERM");
      // The answers come only once the worker is draining: they are what it must wait for.
      await expect.poll(() => output.some((line) => line.msg === "draining: no new claims"), { timeout: 30_000, interval: 20 }).toBe(true);
      const held = cluster.arrivals.slice(heldFrom).map((call) => call.deliveryId!);
      for (const release of releases) release();
      expect(await exited).toEqual({ code: 0, signal: null });
      // Its attempts finished within the grace: none had to be given back, and each held one was recorded as delivered.
      expect(output.find((line) => line.msg === "delivery worker stopped")).toMatchObject({ released: 0 });
      const heldRows = await db.select({ state: deliveries.state }).from(deliveries).where(inArray(deliveries.deliveryId, held));
      expect(heldRows.map((row) => row.state)).toEqual(held.map(() => "delivered"));
      // The worker that drained left nothing leased behind it.
      const leased = await db
        .select({ count: sql<number>`count(*)::int` })
        .from(deliveries)
        .where(sql`${deliveries.state} = 'pending' and ${deliveries.leaseUntil} > now()`);
      expect(leased[0]!.count).toBe(0);
      worker = spawnWorker();
    }
    const records = await traffic.stop();
    await waitUntilAllDelivered(db, 60_000);

    expect(records.every((record) => record.statuses.at(-1) === 200)).toBe(true);
    const summary = await expectDeliveredOnceInOrder(db, cluster.arrivals);
    expect(summary.deliveries).toBe(records.length);
  }, 300_000);

  test("an attempt that outlasts the grace gives its lease back: the next worker delivers it at once", async () => {
    await cluster.oms.setBehaviour({ kind: "hang" });
    const worker = cluster.spawnHub("server/delivery/worker-main.ts", { SHUTDOWN_GRACE_MS: "200", DELIVERY_TIMEOUT_MS: "30000" });
    const traffic = startTraffic({ perSecond: 5 });
    await expect.poll(() => cluster.arrivals.filter((call) => call.path.startsWith("/pos/")).length, { timeout: 60_000, interval: 20 }).toBeGreaterThan(0);
    const records = await traffic.stop();
    const exited = exitOf(worker);
    const output = linesOf(worker);
    worker.kill("SIGTERM");
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output.find((line) => line.msg === "delivery worker stopped")).toMatchObject({ released: expect.any(Number) });
    expect(output.find((line) => line.msg === "delivery worker stopped")!.released).toBeGreaterThan(0);
    // Hanging attempts were given back: pending, no lease (else 35 s until their lease ran out).
    const leased = await cluster.database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(deliveries)
      .where(sql`${deliveries.state} = 'pending' and ${deliveries.leaseUntil} > now()`);
    expect(leased[0]!.count).toBe(0);

    await cluster.oms.setBehaviour({ kind: "success" });
    cluster.spawnHub("server/delivery/worker-main.ts");
    // Well inside the 35 s a lease would have held them.
    await waitUntilAllDelivered(cluster.database.db, 20_000);
    // The hung attempts arrived once already: sent again under the same id, in order.
    const summary = await expectDeliveredOnceInOrder(cluster.database.db, cluster.arrivals);
    expect(summary.deliveries).toBe(records.length);
  }, 300_000);
});
