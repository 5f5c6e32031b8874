import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notices } from "@/db/schema/notices";
import { useTestDatabase } from "@/test/database";
import { getNoticeStory } from "@/server/dashboard/get-notice-story";
import { seedSampleNotices } from "@/server/dashboard/sample-notices";
import { resolveDeliveries } from "@/server/delivery/manual-actions";

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

  it("tells one timeline: each inbound call with its answer, each delivery, each manual action with who and why", async () => {
    const before = await storyOf("DN-1001");
    const storeOrderDelivery = before.deliveries.find((delivery) => delivery.path === "/pos/ordermake")!;
    await resolveDeliveries(database.db, { selection: { ids: [storeOrderDelivery.id] }, actor: "ops@hub.local", note: "OMS 已手工录入" });

    const story = await storyOf("DN-1001");
    const calls = story.timeline.flatMap((entry) => (entry.type === "exchange" ? [entry.exchange.path] : []));
    expect(calls).toEqual(["/pos/ordermake", "/oms/delivery/package", "/oms/delivery/waybillchange"]);
    const firstCall = story.timeline.find((entry) => entry.type === "exchange")!;
    expect(firstCall.type === "exchange" && firstCall.exchange.responseBody).toBe('{"success":true}');

    const delivered = story.timeline.flatMap((entry) => (entry.type === "delivery" ? [[entry.delivery.target, entry.delivery.path]] : []));
    expect(delivered).toEqual([
      ["oms", "/pos/ordermake"],
      ["pos", "/oms/delivery/package"],
      ["pos", "/oms/delivery/waybillchange"],
    ]);
    const actions = story.timeline.flatMap((entry) => (entry.type === "action" ? [entry.action] : []));
    expect(actions).toMatchObject([{ action: "resolve", actor: "ops@hub.local", note: "OMS 已手工录入", stateAfter: "resolved" }]);

    const times = story.timeline.map((entry) => entry.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("says which earlier delivery holds a later one back", async () => {
    const story = await storyOf("DN-2001");
    const [pushorder, checkout] = story.deliveries;
    expect(pushorder!.blockedBy).toBeNull();
    expect(checkout!.blockedBy).toBe(pushorder!.id);
  });
});
