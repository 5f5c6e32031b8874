import { describe, expect, it } from "vitest";
import { firstSearch, lateStoreHref, readLateFilter } from "@/components/search/search-input";

describe("the overview's late-store link", () => {
  it("opens that shop's ship-from-store notices still pending and accepted before the window's cutoff, not all of its notices", () => {
    const before = new Date("2026-11-29T08:30:00.000Z");
    const url = new URL(lateStoreHref("S 002", before), "http://hub.test");
    const late = readLateFilter(Object.fromEntries(url.searchParams));
    expect(late).toEqual({ shop: "S 002", before });
    expect(firstSearch(undefined, late)).toMatchObject({ shopCode: "S 002", kind: "ship_from_store", status: "pending", createdTo: before });
  });

  it("ignores a link without a shop or with a date that does not parse", () => {
    expect(readLateFilter({ late: "S002", before: "yesterday" })).toBeUndefined();
    expect(readLateFilter({ before: "2026-11-29T08:30:00.000Z" })).toBeUndefined();
    expect(firstSearch("S002")).not.toHaveProperty("shopCode");
  });
});
