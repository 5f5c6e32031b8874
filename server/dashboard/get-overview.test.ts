import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notices } from "@/db/schema/notices";
import { useTestDatabase } from "@/test/database";
import { getOverview } from "@/server/dashboard/get-overview";
import { seedSampleNotices } from "@/server/dashboard/sample-notices";
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
