import { and, eq, isNotNull } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { getHubDatabase } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { exchanges, idempotencyKeys } from "@/db/schema/exchanges";
import { setConfigForTests } from "@/server/config";
import { attemptDelivery } from "@/server/delivery/attempt-delivery";
import { claimDueDeliveries } from "@/server/delivery/claim-deliveries";
import { startDeliveryWorker } from "@/server/delivery/delivery-worker";
import { BUSINESS_MSG } from "@/server/notices/rules";
import { refreshLiveConfig } from "@/server/settings/live-settings";
import { useTestDatabase } from "@/test/database";
import { startFakeCounterpart, type FakeCounterpart } from "@/test/fakes/fake-counterpart";
import { callPartner } from "@/test/partner-client";
import { deliveriesOf, exchangesOf } from "@/test/partner/hub-state";
import { storeOrder } from "@/test/partner/messages";
import { describeWithPostgres } from "@/test/postgres-server";

// Issue 13: every statement of a partner call and of its delivery is built once
// (db/prepared-in-transaction.ts), the rare paths too. Each path runs twice; the
// second run must build nothing: drizzle builds every statement through
// dialect.sqlToQuery (a builder's await, `.toSQL()`, `.prepare()`, `db.execute`).

const built: string[] = [];
let counting = false;
const sqlToQuery = Object.getOwnPropertyDescriptor(PgDialect.prototype, "sqlToQuery")!.value as PgDialect["sqlToQuery"];

beforeAll(() => {
  PgDialect.prototype.sqlToQuery = function (this: PgDialect, ...args: Parameters<PgDialect["sqlToQuery"]>) {
    const query = sqlToQuery.apply(this, args);
    if (counting) built.push(query.sql);
    return query;
  };
});

afterAll(() => {
  PgDialect.prototype.sqlToQuery = sqlToQuery;
});

const OMS_TOKEN = "hub-to-oms-built-once";

describeWithPostgres("statements of the partner call and delivery paths, built once", () => {
  const database = useTestDatabase({ server: true });
  let oms: FakeCounterpart;

  beforeAll(async () => {
    oms = await startFakeCounterpart({ name: "oms", token: OMS_TOKEN });
    setConfigForTests({ OMS_BASE_URL: oms.url, OMS_TOKEN, DELIVERY_TIMEOUT_MS: 5000, VOID_SYNC_BUDGET_MS: 5000 });
  });

  afterAll(async () => {
    await oms?.close();
  });

  /** The SQL of every statement drizzle built while `run` ran (its result beside them). */
  async function buildsOf<T>(run: () => Promise<T>): Promise<{ result: T; built: string[] }> {
    // The stored settings are re-read every 5 s from whatever call comes (live-settings.ts): read them now, not mid-call.
    await refreshLiveConfig(database.db);
    built.length = 0;
    counting = true;
    try {
      const result = await run();
      return { result, built: [...built] };
    } finally {
      counting = false;
    }
  }

  /** A store order whose creation was delivered (as if the worker had sent it). */
  async function deliveredStoreOrder() {
    const order = storeOrder();
    await callPartner("/pos/ordermake", order);
    await database.db.update(deliveries).set({ state: "delivered", finishedAt: new Date() }).where(eq(deliveries.orderKey, order.dispatchNO));
    return order;
  }

  test("a void that cancels a notice the other side never saw", async () => {
    for (const round of [1, 2]) {
      const order = storeOrder();
      await callPartner("/pos/ordermake", order);
      const { result: answer, built } = await buildsOf(() => callPartner("/pos/orderremove", { dispatchNO: order.dispatchNO }));
      expect(answer.body).toEqual({ success: true });
      // The cancel branch ran: the creation cancelled, the void never queued.
      expect((await deliveriesOf(database.db, order.dispatchNO)).map((d) => [d.path, d.state])).toEqual([["/pos/ordermake", "cancelled"]]);
      if (round === 2) expect(built).toEqual([]);
    }
  });

  test("a repeat whose first answer is no longer logged takes the idempotency key over", async () => {
    for (const round of [1, 2]) {
      const order = storeOrder();
      await callPartner("/pos/ordermake", order);
      // As when the exchange's month was dropped before the key was forgotten (log-partitions.ts).
      const [first] = await exchangesOf(database.db, order.dispatchNO);
      await database.db.delete(exchanges).where(eq(exchanges.id, first!.id));
      const { result: answer, built } = await buildsOf(() => callPartner("/pos/ordermake", order));
      expect(answer.body).toEqual({ success: false, msg: BUSINESS_MSG.duplicateNotice });
      const [repeat] = await exchangesOf(database.db, order.dispatchNO);
      const [key] = await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.exchangeId, repeat!.id));
      expect(key).toBeDefined();
      if (round === 2) expect(built).toEqual([]);
    }
  });

  test("a relayed void the other side refuses", async () => {
    oms.setBehaviourFor("/pos/orderremove", { kind: "refuse", msg: BUSINESS_MSG.storeOrderShipped });
    for (const round of [1, 2]) {
      const order = await deliveredStoreOrder();
      const { result: answer, built } = await buildsOf(() => callPartner("/pos/orderremove", { dispatchNO: order.dispatchNO }));
      expect(answer.body).toEqual({ success: false, msg: BUSINESS_MSG.storeOrderShipped });
      const [, relayed] = await deliveriesOf(database.db, order.dispatchNO);
      expect(relayed).toMatchObject({ path: "/pos/orderremove", state: "resolved" });
      if (round === 2) expect(built).toEqual([]);
    }
  });

  test("a refused call, logged with its answer", async () => {
    for (const round of [1, 2]) {
      const order = storeOrder();
      const { result: answer, built } = await buildsOf(() => callPartner("/pos/ordermake", order, { token: "not-a-token" }));
      expect(answer.status).toBe(401);
      const [logged] = await database.db.select().from(exchanges).where(eq(exchanges.claimedDispatchNo, order.dispatchNO));
      expect(logged).toMatchObject({ outcome: "unauthorized", responseStatus: 401, noticeId: null, dispatchNo: null });
      if (round === 2) expect(built).toEqual([]);
    }
  });

  test("a worker's claim and the attempt it records", async () => {
    // Only this test's deliveries are due (the repeats above left their creations queued).
    await database.db.update(deliveries).set({ state: "cancelled" }).where(eq(deliveries.state, "pending"));
    for (const round of [1, 2]) {
      const order = storeOrder();
      await callPartner("/pos/ordermake", order);
      const { result: state, built } = await buildsOf(async () => {
        const [claimed] = await claimDueDeliveries(database.db, { limit: 1, leaseMs: 10_000, targets: ["oms"] });
        const outcome = await attemptDelivery(database.db, claimed!, { worker: "built-once" });
        return { orderKey: claimed!.orderKey, outcome: outcome?.verdict.outcome };
      });
      expect(state).toEqual({ orderKey: order.dispatchNO, outcome: "delivered" });
      if (round === 2) expect(built).toEqual([]);
    }
  });

  test("a stopping worker gives its leases and its unsent claims back", async () => {
    for (const round of [1, 2]) {
      const orders = [storeOrder(), storeOrder()];
      for (const order of orders) await callPartner("/pos/ordermake", order);
      const release = oms.holdAnswers();
      // One slot: the first delivery is sent (and held unanswered), the second claimed a round ahead and kept unsent.
      const worker = await startDeliveryWorker({ hub: await getHubDatabase(), concurrency: 1, pollMs: 60_000, id: `built-once-${round}` });
      const leased = () =>
        database.db.select().from(deliveries).where(and(eq(deliveries.state, "pending"), isNotNull(deliveries.leaseUntil)));
      await expect.poll(async () => (await leased()).length, { interval: 20 }).toBe(2);
      const sent = await oms.waitFor((call) => orders.some((order) => call.body.includes(order.dispatchNO)));
      const { result: stopped, built } = await buildsOf(() => worker.stop({ graceMs: 0 }));
      expect(stopped).toEqual({ released: 1, unsent: 1 });
      const rows = await Promise.all(orders.map(async (order) => (await deliveriesOf(database.db, order.dispatchNO))[0]!));
      const inFlight = rows.find((row) => row.deliveryId === sent.deliveryId)!;
      const unsent = rows.find((row) => row.deliveryId !== sent.deliveryId)!;
      expect(inFlight).toMatchObject({ state: "pending", leaseUntil: null, attempts: 1 });
      expect(unsent).toMatchObject({ state: "pending", leaseUntil: null, attempts: 0 });
      release();
      // The held attempt still ends, and its outcome is recorded: nothing is left in flight for the next round.
      await expect.poll(async () => (await deliveriesOf(database.db, inFlight.orderKey!))[0]!.state, { interval: 20 }).toBe("delivered");
      await database.db.update(deliveries).set({ state: "cancelled" }).where(eq(deliveries.id, unsent.id));
      if (round === 2) expect(built).toEqual([]);
    }
  });
});
