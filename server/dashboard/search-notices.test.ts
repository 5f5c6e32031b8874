import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { seedSampleNotices, shipFromStore, storeOrder } from "@/test/sample-notices";
import { searchNotices } from "@/server/dashboard/search-notices";
import { callPartner } from "@/test/partner-client";

const database = useTestDatabase();

beforeAll(async () => {
  await seedSampleNotices();
  // A SKU the store never ordered: accepted (goods moved) and flagged for ops.
  await callPartner("/oms/delivery/package", {
    dispatchNO: storeOrder.dispatchNO,
    transferCode: "TR-1002",
    packages: [{ waybillCode: "SF-1002", items: [{ product: "P999", color: "09", size: "XL", sn: "SN-1999" }] }],
  });
});

const found = async (term: string) => (await searchNotices(database.db, { term })).rows.map((row) => row.dispatchNo);

describe("searchNotices", () => {
  it.each([
    ["dispatchNO", "DN-1001", storeOrder.dispatchNO],
    ["purchaseCode", "PC-1001", storeOrder.dispatchNO],
    ["purchaseNumber", "PN-2001", shipFromStore.dispatchNO],
    ["memberCode", "M-1001", storeOrder.dispatchNO],
    ["receiver", "李四", shipFromStore.dispatchNO],
    ["full phone", "13812341234", storeOrder.dispatchNO],
    ["last four digits of the phone", "5678", shipFromStore.dispatchNO],
    ["transferCode", "TR-1001", storeOrder.dispatchNO],
    ["current waybill", "YT-NEW-1001", storeOrder.dispatchNO],
    ["waybill before the change", "SF-OLD-1001", storeOrder.dispatchNO],
    ["checkout waybill", "ZT-2001", shipFromStore.dispatchNO],
    ["warehouse serial", "SN-1002", storeOrder.dispatchNO],
    ["store checkout serial", "SN-2001", shipFromStore.dispatchNO],
    ["shopCode", "S002", shipFromStore.dispatchNO],
  ])("finds a notice by its %s", async (_key, term, dispatchNo) => {
    expect(await found(term)).toEqual([dispatchNo]);
  });

  it("finds nothing for a part of a key: lookups are exact, not substring scans", async () => {
    expect(await found("DN-10")).toEqual([]);
    expect(await found("1234 ")).toEqual(await found("1234"));
  });

  it.each(["' OR 1=1 --", "%", "_", "DN-100_", "DN-%", "\\", "'; drop table notices; --"])("treats %j as data", async (term) => {
    expect(await found(term)).toEqual([]);
    expect(await found("DN-1001")).toEqual(["DN-1001"]);
  });

  it("filters by status, kind, shop and creation date", async () => {
    const all = async (params: Parameters<typeof searchNotices>[1]) => (await searchNotices(database.db, params)).rows.map((row) => row.dispatchNo);
    expect(await all({ kind: "ship_from_store" })).toEqual(["DN-2001"]);
    expect(await all({ status: "partially_shipped" })).toEqual(["DN-1001"]);
    expect(await all({ shopCode: "S001" })).toEqual(["DN-1001"]);
    expect(await all({ createdFrom: new Date(Date.now() + 60_000) })).toEqual([]);
    expect(await all({ term: "5678", kind: "store_order" })).toEqual([]);
  });

  it("counts each notice's open anomalies and unfinished deliveries, and filters on anomalies", async () => {
    const { rows } = await searchNotices(database.db, { sort: "dispatchNo", dir: "asc" });
    expect(rows.map((row) => [row.dispatchNo, row.openAnomalies, row.pendingDeliveries, row.problemDeliveries])).toEqual([
      ["DN-1001", 1, 4, 0],
      ["DN-2001", 0, 2, 0],
    ]);
    expect((await searchNotices(database.db, { hasAnomalies: true })).rows.map((row) => row.dispatchNo)).toEqual(["DN-1001"]);
    expect((await searchNotices(database.db, { hasAnomalies: false })).rows.map((row) => row.dispatchNo)).toEqual(["DN-2001"]);
  });

  it("sorts and pages without counting the whole table", async () => {
    const first = await searchNotices(database.db, { sort: "dispatchNo", dir: "asc", pageSize: 1 });
    const second = await searchNotices(database.db, { sort: "dispatchNo", dir: "asc", pageSize: 1, page: 1 });
    expect(first.rows.map((row) => row.dispatchNo)).toEqual(["DN-1001"]);
    expect(first.hasMore).toBe(true);
    expect(second.rows.map((row) => row.dispatchNo)).toEqual(["DN-2001"]);
    expect(second.hasMore).toBe(false);
  });
});
