import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { sql } from "drizzle-orm";
import { countNoticeMatches, searchNotices, type NoticeSearch } from "@/server/dashboard/search-notices";
import { COUNT_BOUND } from "@/lib/bounded-count";
import { callPartner } from "@/test/partner-client";

// A shop code or a common name is on thousands of notices, so searchNotices
// reads only as many of them as reach the page: these check that the cut never
// loses a notice.

const database = useTestDatabase();

const address = { receiver: "王五", phone: "13700001111", province: "上海市", city: "上海市", county: "浦东新区", address: "世纪大道 100 号" };
const items = [{ product: "P100", color: "01", size: "M", qty: 1 }];

beforeAll(async () => {
  // Oldest first: DN-9001 … DN-9005 in shop S009, odd ones ordered in store, even ones shipped from it.
  for (let n = 1; n <= 5; n++) {
    const dispatchNO = `DN-900${n}`;
    const answer =
      n % 2 === 1
        ? await callPartner("/pos/ordermake", { shopCode: "S009", dispatchNO, ...address, items })
        : await callPartner("/oms/pushorder", { shopCode: "S009", dispatchNO, purchaseNumber: `PN-900${n}`, ...address, express: "ZTO", items });
    expect(answer.body).toEqual({ success: true });
  }
  // Another shop's notice whose receiver is written like the shop code: the term means it too.
  expect((await callPartner("/pos/ordermake", { shopCode: "S001", dispatchNO: "DN-9100", ...address, receiver: "S009", items })).body).toEqual({ success: true });
});

async function allPages(params: NoticeSearch) {
  const seen: string[] = [];
  for (let page = 0; ; page++) {
    const result = await searchNotices(database.db, { ...params, page });
    seen.push(...result.rows.map((row) => row.dispatchNo));
    if (!result.hasMore) return seen;
  }
}

describe("searching by a term on many notices", () => {
  it("pages through every notice the code means, newest first, without gaps or repeats", async () => {
    expect(await allPages({ term: "S009", pageSize: 2 })).toEqual(["DN-9100", "DN-9005", "DN-9004", "DN-9003", "DN-9002", "DN-9001"]);
    expect(await allPages({ term: "S009", pageSize: 4, dir: "asc" })).toEqual(["DN-9001", "DN-9002", "DN-9003", "DN-9004", "DN-9005", "DN-9100"]);
  });

  it("applies the filters before the page is cut", async () => {
    // The shop's newest notice is a store order: filtering after the cut would find no ship-from-store notice on page one.
    expect(await allPages({ term: "S009", kind: "ship_from_store", pageSize: 1 })).toEqual(["DN-9004", "DN-9002"]);
    expect(await allPages({ term: "S009", shopCode: "S001", pageSize: 1 })).toEqual(["DN-9100"]);
  });

  it("cuts a common receiver name to the page the same way", async () => {
    expect(await allPages({ term: "王五", pageSize: 2 })).toEqual(["DN-9005", "DN-9004", "DN-9003", "DN-9002", "DN-9001"]);
    expect(await allPages({ term: "王五", kind: "ship_from_store", pageSize: 1 })).toEqual(["DN-9004", "DN-9002"]);
  });

  it("keeps other sort orders", async () => {
    expect(await allPages({ term: "S009", sort: "dispatchNo", dir: "desc", pageSize: 3 })).toEqual(["DN-9100", "DN-9005", "DN-9004", "DN-9003", "DN-9002", "DN-9001"]);
  });
});

describe("the pager's total", () => {
  it("counts what the pages show, under the same filters and words", async () => {
    for (const params of [{ term: "S009" }, { term: "S009", kind: "ship_from_store" as const }, { term: "王五" }, { term: "王五 5" }, {}, { term: "no-such-code" }]) {
      expect(await countNoticeMatches(database.db, { ...params, page: 3 })).toEqual({ count: (await allPages({ ...params, pageSize: 2 })).length, more: false });
    }
  });

  it("stops counting at the bound on a shop with more notices than that", async () => {
    // Copies of one notice in a shop of their own: a shop code that means more notices than the bound.
    await database.db.execute(sql`insert into notices (dispatch_no, kind, status, shop_code, created_by_exchange_id)
      select 'DN-BULK-' || n, 'store_order', 'pending', 'S777', gen_random_uuid() from generate_series(1, ${COUNT_BOUND + 5}) as n`);
    expect(await countNoticeMatches(database.db, { term: "S777" })).toEqual({ count: COUNT_BOUND, more: true });
    expect(await countNoticeMatches(database.db, { term: "S777", kind: "ship_from_store" })).toEqual({ count: 0, more: false });
  });
});
