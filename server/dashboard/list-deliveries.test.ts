import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { sql } from "drizzle-orm";
import { countDeliveryQueues, getDelivery, listDeliveries } from "@/server/dashboard/list-deliveries";
import { COUNT_BOUND, formatBoundedCount } from "@/lib/bounded-count";
import { listInboundExchanges, listOutboundAttempts } from "@/server/dashboard/list-exchanges";
import { seedSampleNotices } from "@/test/sample-notices";
import { callPartner } from "@/test/partner-client";

const database = useTestDatabase();

beforeAll(async () => {
  await seedSampleNotices();
  await callPartner("/pos/checkout", { dispatchNO: "DN-404", packages: [{ waybillCode: "X", sns: [] }] });
});

describe("delivery queues", () => {
  it("puts the first delivery of each notice in the queue and holds the later ones behind it", async () => {
    // No worker runs here: nothing has been attempted, so each notice's first delivery heads its line.
    expect(await countDeliveryQueues(database.db, {})).toMatchObject({ queued: 2, blocked: 3, retrying: 0, delivered: 0 });
    const blocked = await listDeliveries(database.db, { filter: { queue: "blocked" } });
    const heads = await listDeliveries(database.db, { filter: { queue: "queued" } });
    const headIds = heads.rows.map((row) => row.id);
    expect(blocked.rows.every((row) => row.blockedBy !== null && headIds.includes(row.blockedBy))).toBe(true);
    expect(heads.rows.map((row) => row.path).sort()).toEqual(["/oms/pushorder", "/pos/ordermake"]);
  });

  it("narrows by target, path and shop, and counts each queue under the same filter", async () => {
    expect(await countDeliveryQueues(database.db, { shopCode: "S002" })).toMatchObject({ queued: 1, blocked: 1 });
    const toPos = await listDeliveries(database.db, { filter: { target: "pos", path: "/oms/delivery/package" } });
    expect(toPos.rows.map((row) => [row.dispatchNo, row.shopCode])).toEqual([["DN-1001", "S001"]]);
  });

  it("pages by keyset: each page starts below the last id shown, every delivery once, newest first", async () => {
    const all = (await listDeliveries(database.db, {})).rows.map((row) => row.id);
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await listDeliveries(database.db, { pageSize: 2, before });
      seen.push(...page.rows.map((row) => row.id));
      if (page.nextCursor === null) break;
      before = page.nextCursor;
    }
    expect(seen).toEqual(all);
    expect(all).toEqual([...all].sort((a, b) => b - a));
  });

  it("opens one delivery with its payload exactly as the partner sent it", async () => {
    const [head] = (await listDeliveries(database.db, { filter: { path: "/oms/pushorder" } })).rows;
    const delivery = await getDelivery(database.db, head!.id);
    expect(JSON.parse(delivery.payload)).toMatchObject({ dispatchNO: "DN-2001", receiver: "李四" });
    expect(delivery.attempts).toEqual([]);
  });
});

describe("queue counts at volume", () => {
  it("counts exactly up to the cap and says 10,000+ beyond it", async () => {
    const insertDelivered = (rows: number) =>
      database.db.execute(sql`insert into deliveries (delivery_id, exchange_id, target, path, payload, state, deadline_at, finished_at)
        select gen_random_uuid(), gen_random_uuid(), 'oms', '/pos/ordermake', '{}', 'delivered', now() + interval '1 hour', now()
        from generate_series(1, ${rows})`);
    await insertDelivered(COUNT_BOUND);
    const atCap = await countDeliveryQueues(database.db, {});
    expect(atCap.delivered).toBe(COUNT_BOUND);
    expect(formatBoundedCount(atCap.delivered)).toBe("10,000");
    await insertDelivered(5);
    const past = await countDeliveryQueues(database.db, {});
    expect(past.delivered).toBe(COUNT_BOUND + 1);
    expect(formatBoundedCount(past.delivered)).toBe("10,000+");
    // The other queues stay exact.
    expect(past).toMatchObject({ queued: 2, blocked: 3 });
  });
});

describe("exchange log", () => {
  it("lists inbound calls newest first with bodies as text, filterable by outcome and dispatchNO", async () => {
    const refused = await listInboundExchanges(database.db, { outcome: "rejected" });
    expect(refused.rows.map((row) => [row.path, row.dispatchNo, JSON.parse(row.responsePreview)])).toEqual([
      ["/pos/checkout", "DN-404", { success: false, msg: "通知单不存在" }],
    ]);
    const story = await listInboundExchanges(database.db, { dispatchNo: "DN-2001" });
    expect(story.rows.map((row) => row.path)).toEqual(["/pos/checkout", "/oms/pushorder"]);
    expect(typeof story.rows[0]!.requestPreview).toBe("string");
  });

  it("lists no outbound attempts before any were made", async () => {
    expect(await listOutboundAttempts(database.db, {})).toEqual({ rows: [], nextCursor: null });
  });
});
