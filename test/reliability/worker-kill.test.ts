import { expect, test } from "vitest";
import { expectDeliveredOnceInOrder, killHard, SOAK, sleep, startTraffic, useCluster, waitUntilAllDelivered } from "@/test/reliability/cluster";
import { describeWithPostgres } from "@/test/postgres-server";

// kill -9 of the process that delivers, again and again, while the stores and
// the OMS keep calling: nothing accepted is lost, nothing leaves out of order,
// and a message sent twice carries the same delivery id both times.

describeWithPostgres("the delivering process killed with SIGKILL mid-stream", () => {
  const cluster = useCluster();
  const KILLS = SOAK ? 25 : 5;

  test(`${KILLS} kills and restarts during a steady stream of accepted calls`, async () => {
    // Slow answers keep attempts in flight, so a kill lands mid-attempt.
    await cluster.oms.setBehaviour({ kind: "slow", ms: 40, then: { kind: "success" } });
    await cluster.pos.setBehaviour({ kind: "slow", ms: 40, then: { kind: "success" } });
    let worker = cluster.spawnHub("server/delivery/worker-main.ts");
    const traffic = startTraffic({ perSecond: 20 });

    for (let kill = 0; kill < KILLS; kill++) {
      const arrived = cluster.arrivals.length;
      await expect.poll(() => cluster.arrivals.length, { timeout: 20_000, interval: 20 }).toBeGreaterThan(arrived + 5);
      await sleep(Math.random() * 300);
      await killHard(worker);
      worker = cluster.spawnHub("server/delivery/worker-main.ts");
    }
    const records = await traffic.stop();
    await waitUntilAllDelivered(cluster.database.db, 60_000);

    expect(records.every((record) => record.statuses.at(-1) === 200)).toBe(true);
    const summary = await expectDeliveredOnceInOrder(cluster.database.db, cluster.arrivals);
    expect(summary.deliveries).toBe(records.length);
    // Some kills landed between an answer and its record: those were sent again, under the same id.
    expect(summary.repeats).toBeGreaterThan(0);
    console.log(`worker-kill: ${records.length} calls accepted, ${summary.arrivals} arrivals, ${summary.repeats} repeats after ${KILLS} kills`);
  }, SOAK ? 600_000 : 90_000);
});
