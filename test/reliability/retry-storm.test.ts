import { setConfigForTests } from "@/server/config";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { getHubDatabase } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { startDeliveryWorker, type DeliveryWorker } from "@/server/delivery/delivery-worker";
import { callPartner } from "@/test/partner-client";
import { packageShipped, piece, SKU_A, storeOrder, transfer, uniqueCode } from "@/test/partner/messages";
import { adminConnection, databaseName, expectDeliveredOnceInOrder, SOAK, sleep, useCluster, waitUntilAllDelivered } from "@/test/reliability/cluster";
import { describeWithPostgres } from "@/test/postgres-server";

// After an outage of the OMS and POS, thousands of deliveries fall due at the
// same moment. They must all go, in order per notice, without the hub taking
// more database connections than its pool allows.

const POOL_MAX = 10;
process.env.DATABASE_POOL_MAX = String(POOL_MAX);
setConfigForTests({ DATABASE_POOL_MAX: POOL_MAX });

describeWithPostgres("a retry storm when the counterparts come back", () => {
  const cluster = useCluster();
  const NOTICES = SOAK ? 2000 : 400;
  let worker: DeliveryWorker;

  beforeAll(async () => {
    worker = await startDeliveryWorker({ hub: await getHubDatabase(), pollMs: 500, id: "storm-worker" });
  });
  afterAll(async () => {
    await worker?.stop();
  });

  /** A store order and four shipped packages: five deliveries that must leave in this order. */
  async function fiveDeliveries() {
    const order = storeOrder();
    expect((await callPartner("/pos/ordermake", order)).body).toEqual({ success: true });
    for (const transferCode of ["T1", "T2", "T3", "T4"]) {
      const shipped = packageShipped(order.dispatchNO, transfer(transferCode, "WH01", [{ waybillCode: uniqueCode("WB"), items: [piece(SKU_A)] }]));
      expect((await callPartner("/oms/delivery/package", shipped)).body).toEqual({ success: true });
    }
  }

  test(`${NOTICES * 5} deliveries over ${NOTICES} notices due at once: all delivered in order, connections within the pool`, async () => {
    const { db } = cluster.database;
    await Promise.all([cluster.oms.setBehaviour({ kind: "down" }), cluster.pos.setBehaviour({ kind: "down" })]);
    let created = 0;
    const caller = async () => {
      while (created++ < NOTICES) await fiveDeliveries();
    };
    await Promise.all(Array.from({ length: 16 }, caller));
    // Each notice's head has failed at least once, and everything behind it waits.
    const untriedHeads = async () => {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(deliveries)
        .where(sql`${deliveries.attempts} = 0 and ${deliveries.id} in (select min(id) from deliveries group by order_key)`);
      return row!.n;
    };
    await expect.poll(untriedHeads, { timeout: 30_000 }).toBe(0);

    // The outage ends, and every retry falls due at the same moment.
    await Promise.all([cluster.oms.setBehaviour({ kind: "success" }), cluster.pos.setBehaviour({ kind: "success" })]);
    // Locked in id order, as the worker and a person's bulk action lock deliveries: a plain update
    // locks in the table's physical order and can deadlock with the worker finishing a batch.
    await db
      .update(deliveries)
      .set({ nextAttemptAt: sql`now()` })
      .where(sql`${deliveries.id} in (select id from ${deliveries} where state = 'pending' order by id for update)`);
    worker.wake();

    const admin = adminConnection();
    const name = databaseName(cluster.database.url!);
    let maxConnections = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [row] = await admin`select count(*)::int as n from pg_stat_activity where datname = ${name}`;
        maxConnections = Math.max(maxConnections, row!.n as number);
        await sleep(20);
      }
    })();
    const started = performance.now();
    await waitUntilAllDelivered(db, 60_000);
    const drainMs = Math.round(performance.now() - started);
    sampling = false;
    await sampler;
    await admin.end();

    const summary = await expectDeliveredOnceInOrder(db, cluster.arrivals.filter((call) => call.answer === "success"));
    expect(summary.deliveries).toBe(NOTICES * 5);
    // The pool, plus the one connection LISTEN keeps.
    expect(maxConnections).toBeLessThanOrEqual(POOL_MAX + 1);
    console.log(`retry storm: ${summary.deliveries} deliveries drained in ${drainMs} ms, at most ${maxConnections} connections`);
  }, SOAK ? 600_000 : 120_000);
});
