import { expect, test } from "vitest";
import { expectDeliveredOnceInOrder, killHard, SOAK, startTraffic, useCluster, waitUntilAllDelivered } from "@/test/reliability/cluster";
import { describeWithPostgres } from "@/test/postgres-server";

// kill -9 of the process that delivers, again and again, while the stores and
// the OMS keep calling: nothing accepted is lost, nothing leaves out of order,
// and a message sent twice carries the same delivery id both times.

describeWithPostgres("the delivering process killed with SIGKILL mid-stream", () => {
  const cluster = useCluster();
  const KILLS = SOAK ? 25 : 5;

  test(`${KILLS} kills and restarts during a steady stream of accepted calls`, async () => {
    const answering = { kind: "slow", ms: 40, then: { kind: "success" } } as const;
    await cluster.oms.setBehaviour(answering);
    await cluster.pos.setBehaviour(answering);
    let worker = cluster.spawnHub("server/delivery/worker-main.ts");
    const traffic = startTraffic({ perSecond: 20 });

    for (let kill = 0; kill < KILLS; kill++) {
      const arrived = cluster.arrivals.length;
      await expect.poll(() => cluster.arrivals.length, { timeout: 20_000, interval: 20 }).toBeGreaterThan(arrived + 5);
      // Every kill lands mid-attempt: the next call to arrive is never answered, and the worker dies
      // holding it. It arrived but was never recorded, so it goes again, under the same id.
      await Promise.all([cluster.oms.setBehaviour({ kind: "hang" }), cluster.pos.setBehaviour({ kind: "hang" })]);
      const unanswered = cluster.arrivals.length;
      await expect.poll(() => cluster.arrivals.length, { timeout: 20_000, interval: 5 }).toBeGreaterThan(unanswered);
      await killHard(worker);
      await Promise.all([cluster.oms.setBehaviour(answering), cluster.pos.setBehaviour(answering)]);
      worker = cluster.spawnHub("server/delivery/worker-main.ts");
    }
    const records = await traffic.stop();
    await waitUntilAllDelivered(cluster.database.db, 60_000);

    expect(records.every((record) => record.statuses.at(-1) === 200)).toBe(true);
    const summary = await expectDeliveredOnceInOrder(cluster.database.db, cluster.arrivals);
    expect(summary.deliveries).toBe(records.length);
    // Each kill left an arrived but unrecorded attempt: sent again, under the same id.
    expect(summary.repeats).toBeGreaterThanOrEqual(KILLS);
    console.log(`worker-kill: ${records.length} calls accepted, ${summary.arrivals} arrivals, ${summary.repeats} repeats after ${KILLS} kills`);
  }, SOAK ? 600_000 : 90_000);
});
