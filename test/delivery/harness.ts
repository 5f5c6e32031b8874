import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, vi } from "vitest";
import { getHubDatabase } from "@/db/client";
import { deliveries, deliveryActions, deliveryAttempts } from "@/db/schema/deliveries";
import { problems } from "@/db/schema/problems";
import { setConfigForTests, type HubConfig } from "@/server/config";
import { startDeliveryWorker, type DeliveryWorker } from "@/server/delivery/delivery-worker";
import { startFakeCounterpart, type FakeCounterpart } from "@/test/fakes/fake-counterpart";
import { useTestDatabase } from "@/test/database";

export const HUB_TO_POS_TOKEN = "hub-to-pos-secret";
export const HUB_TO_OMS_TOKEN = "hub-to-oms-secret";

/** A test database, a fake POS and OMS on loopback, and the hub's delivery worker pointed at them. */
export function useDeliveryHarness(config: Partial<HubConfig> = {}) {
  const database = useTestDatabase();
  const harness = {} as { pos: FakeCounterpart; oms: FakeCounterpart; worker: DeliveryWorker; clock: { aheadMs: number } };
  // The worker judges attempts by this clock: a test moves it ahead instead of waiting for a deadline to pass.
  harness.clock = { aheadMs: 0 };

  beforeAll(async () => {
    harness.pos = await startFakeCounterpart({ name: "pos", token: HUB_TO_POS_TOKEN });
    harness.oms = await startFakeCounterpart({ name: "oms", token: HUB_TO_OMS_TOKEN });
    setConfigForTests({
      POS_BASE_URL: harness.pos.url,
      OMS_BASE_URL: harness.oms.url,
      POS_TOKEN: HUB_TO_POS_TOKEN,
      OMS_TOKEN: HUB_TO_OMS_TOKEN,
      DELIVERY_TIMEOUT_MS: 1000,
      VOID_SYNC_BUDGET_MS: 1500,
      DELIVERY_DEADLINE_SECONDS: 3600,
      ...config,
    });
    harness.worker = await startDeliveryWorker({
      hub: await getHubDatabase(),
      pollMs: 200,
      id: "test-worker",
      now: () => new Date(Date.now() + harness.clock.aheadMs),
    });
  });

  beforeEach(async () => {
    harness.clock.aheadMs = 0;
    await Promise.all([harness.pos.reset(), harness.oms.reset()]);
  });

  afterAll(async () => {
    await harness.worker?.stop();
    await Promise.all([harness.pos?.close(), harness.oms?.close()]);
  });

  return Object.assign(harness, { database });
}

export const deliveriesOf = (db: Parameters<typeof attemptsOf>[0], dispatchNo: string) =>
  db.select().from(deliveries).where(eq(deliveries.orderKey, dispatchNo)).orderBy(asc(deliveries.id));

export const attemptsOf = (db: Awaited<ReturnType<typeof getHubDatabase>>["db"], deliveryId: number) =>
  db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, deliveryId)).orderBy(asc(deliveryAttempts.attemptNo));

export const actionsOf = (db: Awaited<ReturnType<typeof getHubDatabase>>["db"], deliveryId: number) =>
  db.select().from(deliveryActions).where(eq(deliveryActions.deliveryId, deliveryId)).orderBy(asc(deliveryActions.id));

/** Polls until the delivery for (dispatchNO, path) reaches the state; returns it. */
export async function waitForDeliveryState(
  db: Awaited<ReturnType<typeof getHubDatabase>>["db"],
  match: { dispatchNo: string; path: string },
  state: (typeof deliveries.$inferSelect)["state"],
  timeoutMs = 15_000,
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.orderKey, match.dispatchNo), eq(deliveries.path, match.path)));
    if (row?.state === state) return row;
    if (Date.now() > until) {
      throw new Error(`delivery ${match.path} of ${match.dispatchNo} is ${row?.state ?? "missing"}, not ${state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits (polling, never a fixed sleep) until a problem matching `match` exists; returns it.
 * @throws after `timeoutMs` (ms), naming `what` and the problems there are.
 */
export function waitForProblem(
  db: Awaited<ReturnType<typeof getHubDatabase>>["db"],
  match: (row: typeof problems.$inferSelect) => boolean,
  what: string,
  timeoutMs = 15_000,
) {
  return vi.waitFor(
    async () => {
      const rows = await db.select().from(problems).orderBy(asc(problems.id));
      const found = rows.find(match);
      if (!found) throw new Error(`no problem ${what}; have ${JSON.stringify(rows)}`);
      return found;
    },
    { timeout: timeoutMs, interval: 50 },
  );
}
