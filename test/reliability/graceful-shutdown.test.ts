import type { ChildProcess } from "node:child_process";
import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { deliveries } from "@/db/schema/deliveries";
import { expectDeliveredOnceInOrder, sleep, startTraffic, useCluster, waitUntilAllDelivered } from "@/test/reliability/cluster";
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

describeWithPostgres("SIGTERM to the delivering process mid-stream", () => {
  const cluster = useCluster();

  test("drains within its grace: exit 0, nothing lost, nothing left leased", async () => {
    // Slow answers keep attempts in flight when the signal lands.
    await cluster.oms.setBehaviour({ kind: "slow", ms: 100, then: { kind: "success" } });
    await cluster.pos.setBehaviour({ kind: "slow", ms: 100, then: { kind: "success" } });
    let worker = cluster.spawnHub("server/delivery/worker-main.ts", { SHUTDOWN_GRACE_MS: "5000" });
    const traffic = startTraffic({ perSecond: 20 });

    for (let round = 0; round < 3; round++) {
      const arrived = cluster.arrivals.length;
      await expect.poll(() => cluster.arrivals.length, { timeout: 60_000, interval: 20 }).toBeGreaterThan(arrived + 5);
      await sleep(Math.random() * 100);
      const exited = exitOf(worker);
      const output = linesOf(worker);
      worker.kill("SIGTERM");
      expect(await exited).toEqual({ code: 0, signal: null });
      // Its attempts finished within the grace: none had to be given back.
      expect(output.find((line) => line.msg === "delivery worker stopped")).toMatchObject({ released: 0 });
      // The worker that drained left nothing leased behind it.
      const leased = await cluster.database.db
        .select({ count: sql<number>`count(*)::int` })
        .from(deliveries)
        .where(sql`${deliveries.state} = 'pending' and ${deliveries.leaseUntil} > now()`);
      expect(leased[0]!.count).toBe(0);
      worker = cluster.spawnHub("server/delivery/worker-main.ts", { SHUTDOWN_GRACE_MS: "5000" });
    }
    const records = await traffic.stop();
    await waitUntilAllDelivered(cluster.database.db, 60_000);

    expect(records.every((record) => record.statuses.at(-1) === 200)).toBe(true);
    const summary = await expectDeliveredOnceInOrder(cluster.database.db, cluster.arrivals);
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
