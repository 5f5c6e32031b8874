import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { listDeliveries } from "@/server/dashboard/list-deliveries";
import { seedSampleNotices } from "@/test/sample-notices";
import { listBlockingHeads } from "@/server/delivery/blocking-heads";
import { cancelDeliveries, countSelectedDeliveries } from "@/server/delivery/manual-actions";

const database = useTestDatabase();

beforeAll(async () => {
  // Two notices, nothing attempted (no worker): each notice's first delivery heads a line of 1 or 2.
  await seedSampleNotices();
});

describe("head-of-line", () => {
  it("lists the heads that block most, each with how many it holds back", async () => {
    const heads = await listBlockingHeads(database.db);
    const blocked = await listDeliveries(database.db, { filter: { queue: "blocked" } });
    expect(heads.reduce((sum, head) => sum + head.blocks, 0)).toBe(blocked.rows.length);
    expect(heads.map((head) => head.blocks)).toEqual([...heads.map((head) => head.blocks)].sort((a, b) => b - a));
    for (const head of heads) {
      expect(blocked.rows.filter((row) => row.blockedBy === head.id)).toHaveLength(head.blocks);
    }
  });

  it("says on each head in the list how many it blocks, and 0 on the blocked ones", async () => {
    const queued = await listDeliveries(database.db, { filter: { queue: "queued" } });
    const heads = await listBlockingHeads(database.db);
    for (const row of queued.rows) expect(row.blocks).toBe(heads.find((head) => head.id === row.id)?.blocks ?? 0);
    const blocked = await listDeliveries(database.db, { filter: { queue: "blocked" } });
    expect(blocked.rows.every((row) => row.blocks === 0)).toBe(true);
  });

  it("groups the blocked queue by head, and acts on a head together with what it blocks", async () => {
    const [top] = await listBlockingHeads(database.db);
    expect(top!.blocks).toBeGreaterThan(0);
    const behind = await listDeliveries(database.db, { filter: { blockedBy: top!.id } });
    expect(behind.rows.map((row) => row.blockedBy)).toEqual(behind.rows.map(() => top!.id));
    expect(behind.rows).toHaveLength(top!.blocks);
    const confirmed = await countSelectedDeliveries(database.db, { filter: { headOf: top!.id } });
    expect(confirmed.n).toBe(top!.blocks + 1);

    const { changed } = await cancelDeliveries(database.db, {
      selection: { filter: { headOf: top!.id }, confirmed },
      actor: "ops@example.com",
      note: "门店已作废",
    });
    expect(changed).toBe(top!.blocks + 1);
    expect((await listBlockingHeads(database.db)).some((head) => head.id === top!.id)).toBe(false);
  });
});
