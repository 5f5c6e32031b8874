import { spawn, type ChildProcess } from "node:child_process";
import { countDistinct, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { deliveries, deliveryAttempts } from "@/db/schema/deliveries";
import { startFakeCounterpart, type FakeCounterpart } from "@/test/fakes/fake-counterpart";
import { useTestDatabase } from "@/test/database";
import { describeWithPostgres } from "@/test/postgres-server";
import { callPartner } from "@/test/partner-client";
import { onePiecePackage, storeOrder } from "@/test/partner/messages";

// Separate processes need a database server: the embedded one lives inside a
// single process. CI always has DATABASE_URL; elsewhere, the machine's PostgreSQL.
describeWithPostgres("delivery workers in their own processes", () => {
  const database = useTestDatabase({ server: true });
  let oms: FakeCounterpart;
  let pos: FakeCounterpart;
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    oms = await startFakeCounterpart({ name: "oms" });
    pos = await startFakeCounterpart({ name: "pos" });
  });
  afterEach(() => {
    for (const child of children) child.kill("SIGKILL");
    children.clear();
  });
  afterAll(async () => {
    await Promise.all([oms.close(), pos.close()]);
  });

  /** A worker process; `timeoutMs` its DELIVERY_TIMEOUT_MS (its lease is twice that plus 5 s). */
  function startWorker(timeoutMs = 1000) {
    // `node --import tsx`, not the tsx binary: that one forks, and kill -9 must hit the process that delivers.
    const child = spawn(process.execPath, ["--import", "tsx", "server/delivery/worker-main.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        OMS_BASE_URL: oms.url,
        POS_BASE_URL: pos.url,
        DELIVERY_TIMEOUT_MS: String(timeoutMs),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr.on("data", (chunk: Buffer) => process.stderr.write(`[worker ${child.pid}] ${chunk.toString()}`));
    children.add(child);
    return child;
  }

  async function undeliveredCount() {
    const [row] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(deliveries)
      .where(sql`${deliveries.state} <> 'delivered'`);
    return row!.n;
  }

  test("two worker processes share 500 messages and deliver each exactly once", async () => {
    await Promise.all([oms.reset(), pos.reset()]);
    // The default 10 s timeout: a 1 s one timed out answers the fake had taken on a loaded machine, and
    // sent them again (503 arrivals for 500) — the at-least-once repeat, which is not what this test is about.
    startWorker(10_000);
    startWorker(10_000);
    // 25 at once: within one token's cap of calls in flight, so every call is accepted.
    for (let batch = 0; batch < 20; batch++) {
      const answers = await Promise.all(Array.from({ length: 25 }, () => callPartner("/pos/ordermake", storeOrder())));
      expect(answers.map((answer) => answer.status)).toEqual(Array(25).fill(200));
    }
    await expect.poll(undeliveredCount, { timeout: 60_000, interval: 250 }).toBe(0);

    expect(oms.received).toHaveLength(500);
    expect(new Set(oms.received.map((call) => call.deliveryId)).size).toBe(500);
    const [workers] = await database.db.select({ n: countDistinct(deliveryAttempts.worker) }).from(deliveryAttempts);
    expect(workers!.n).toBe(2);
  }, 90_000);

  test("kill -9 of the delivering process mid-stream: after a restart everything arrives, in order per notice", async () => {
    await database.db.delete(deliveries);
    await Promise.all([oms.reset(), pos.reset()]);
    await oms.setBehaviour({ kind: "slow", ms: 150, then: { kind: "success" } });
    const first = startWorker();

    const orders = Array.from({ length: 40 }, () => storeOrder());
    for (const order of orders) {
      await callPartner("/pos/ordermake", order);
      await callPartner(
        "/oms/delivery/package",
        onePiecePackage(order.dispatchNO),
      );
    }
    await oms.waitFor(() => oms.received.length >= 5, 20_000);
    // The kill lands mid-attempt, by construction: the next call to arrive is held unanswered until the worker is dead.
    const release = oms.holdAnswers();
    const arrived = oms.received.length;
    await oms.waitFor(() => oms.received.length > arrived, 20_000);
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    release();
    const deliveredBeforeRestart = 80 - (await undeliveredCount());
    expect(deliveredBeforeRestart).toBeLessThan(80);

    startWorker();
    await expect.poll(undeliveredCount, { timeout: 60_000, interval: 250 }).toBe(0);

    const deliveryIds = new Set(
      (await database.db.select({ id: deliveries.deliveryId }).from(deliveries).where(eq(deliveries.state, "delivered"))).map(
        (row) => row.id,
      ),
    );
    expect(deliveryIds.size).toBe(80);
    const calls = [...oms.received, ...pos.received];
    // At-least-once: a repeat only ever carries the id of a real delivery.
    expect(calls.every((call) => call.deliveryId && deliveryIds.has(call.deliveryId))).toBe(true);
    expect(new Set(calls.map((call) => call.deliveryId)).size).toBe(80);
    for (const order of orders) {
      const created = oms.received.filter((c) => c.body.includes(order.dispatchNO) && c.answer.endsWith("success"));
      const shipped = pos.received.find((c) => c.body.includes(order.dispatchNO));
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(created[0]!.seq).toBeLessThan(shipped!.seq);
    }
  }, 120_000);
});
