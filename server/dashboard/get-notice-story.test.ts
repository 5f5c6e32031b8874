import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notices } from "@/db/schema/notices";
import { useTestDatabase } from "@/test/database";
import { getNoticeStory } from "@/server/dashboard/get-notice-story";
import { seedSampleNotices } from "@/test/sample-notices";

const database = useTestDatabase();

const storyOf = async (dispatchNo: string) => {
  const [notice] = await database.db.select({ id: notices.id }).from(notices).where(eq(notices.dispatchNo, dispatchNo));
  return getNoticeStory(database.db, notice!.id);
};

beforeAll(async () => {
  await seedSampleNotices();
});

describe("getNoticeStory", () => {
  it("counts ordered, shipped and returned per SKU", async () => {
    const story = await storyOf("DN-1001");
    expect(story.items.lines).toEqual([
      { product: "P100", color: "01", size: "M", ordered: 2, shipped: 2, returned: 0, serials: ["SN-1001", "SN-1002"], returnedSerials: [] },
      { product: "P200", color: "02", size: "L", ordered: 1, shipped: 0, returned: 0, serials: [], returnedSerials: [] },
    ]);
    expect(story.items.unmatched.shipped).toBe(0);
  });

  it("puts a store checkout's serials on the line of a one-line order (checkout sends no SKU)", async () => {
    const story = await storyOf("DN-2001");
    expect(story.items.unmatched.shipped).toBe(0);
    expect(story.items.lines.map((line) => [line.ordered, line.shipped, line.serials])).toEqual([[1, 1, ["SN-2001"]]]);
    expect(story.storePackages.map((pkg) => [pkg.waybillCode, pkg.pieces.map((piece) => piece.sn)])).toEqual([["ZT-2001", ["SN-2001"]]]);
  });

  it("nests warehouse → package → serials, with the package's waybill change", async () => {
    const [transfer] = (await storyOf("DN-1001")).transfers;
    expect(transfer).toMatchObject({ transferCode: "TR-1001", shipName: "上海仓" });
    const [pkg] = transfer!.packages;
    expect(pkg!.waybillCode).toBe("YT-NEW-1001");
    expect(pkg!.pieces.map((piece) => piece.sn)).toEqual(["SN-1001", "SN-1002"]);
    expect(pkg!.changes.map((change) => [change.oldWaybillCode, change.newWaybillCode])).toEqual([["SF-OLD-1001", "YT-NEW-1001"]]);
  });

  it("counts its deliveries by state instead of listing them", async () => {
    expect((await storyOf("DN-2001")).deliveryStates).toEqual({ pending: 2 });
  });
});
