import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notices } from "@/db/schema/notices";
import { useTestDatabase } from "@/test/database";
import { getOverview, rankFailing } from "@/server/dashboard/get-overview";
import { deliveries, deliveryAttempts } from "@/db/schema/deliveries";
import { seedSampleNotices } from "@/test/sample-notices";
import { callPartner } from "@/test/partner-client";

const database = useTestDatabase();

beforeAll(async () => {
  await seedSampleNotices();
  await callPartner("/pos/checkout", { dispatchNO: "DN-404", packages: [{ waybillCode: "X", sns: [] }] });
  await callPartner("/oms/pushorder", { dispatchNO: "DN-LATE", shopCode: "S009", receiver: "王五", phone: "13700001111", address: "x", items: [{ product: "P", color: "C", size: "S", qty: 1 }] });
  await database.db.update(notices).set({ createdAt: sql`now() - interval '30 hours'` }).where(sql`${notices.dispatchNo} = 'DN-LATE'`);
});

describe("getOverview", () => {
  it("counts calls and refusals per endpoint in hourly buckets", async () => {
    const overview = await getOverview(database.db, { range: "24h" });
    const inbound = overview.traffic.filter((row) => row.direction === "in");
    const checkout = inbound.filter((row) => row.path === "/pos/checkout");
    expect(checkout.reduce((sum, row) => sum + row.total, 0)).toBe(2);
    expect(checkout.reduce((sum, row) => sum + row.failed, 0)).toBe(1);
    for (const row of inbound) expect(row.bucket.getTime() % 3_600_000).toBe(0);
  });

  it("lists ship-from-store notices pending past 24 h by store", async () => {
    const overview = await getOverview(database.db, {});
    expect(overview.lateStores).toEqual([{ shopCode: "S009", count: 1, oldest: expect.any(Date) }]);
    expect(overview.queues.queued + overview.queues.blocked).toBeGreaterThan(0);
  });
});

describe("what is failing now", () => {
  it("counts failing messages per endpoint, not attempts: a delivery that failed 3 times is one failing message", async () => {
    const [stuck, fine] = await database.db.select().from(deliveries).where(sql`${deliveries.path} = '/pos/ordermake'`).limit(2);
    const attempt = (deliveryId: number, attemptNo: number, outcome: "failed" | "delivered") => ({
      deliveryId,
      attemptNo,
      payloadVersion: 1,
      url: "http://127.0.0.1:1/pos/ordermake",
      startedAt: new Date(),
      durationMs: 5,
      outcome,
      worker: "test",
    });
    await database.db.insert(deliveryAttempts).values([attempt(stuck!.id, 1, "failed"), attempt(stuck!.id, 2, "failed"), attempt(stuck!.id, 3, "failed")]);
    await database.db.update(deliveries).set({ state: "timed_out" }).where(sql`${deliveries.id} = ${stuck!.id}`);
    if (fine) await database.db.insert(deliveryAttempts).values(attempt(fine.id, 1, "delivered"));

    const overview = await getOverview(database.db, { range: "1h" });
    const row = overview.failing.find((entry) => entry.direction === "out" && entry.path === "/pos/ordermake");
    expect(row).toEqual({ direction: "out", side: "oms", path: "/pos/ordermake", messages: fine ? 2 : 1, failed: 1, waiting: 1, timedOut: 1, rejected: 0 });
    expect(overview.failing[0]!.failed).toBeGreaterThanOrEqual(1);
    expect(overview.unit).toBe("minute");
  });

  it("ranks by failing messages, then by failure rate", () => {
    const row = (path: string, messages: number, failed: number) => ({ direction: "out", path, messages, failed });
    expect(rankFailing([row("/a", 100, 2), row("/b", 4, 2), row("/c", 10, 5), row("/d", 1, 0)]).map((entry) => entry.path)).toEqual(["/c", "/b", "/a", "/d"]);
  });
});
