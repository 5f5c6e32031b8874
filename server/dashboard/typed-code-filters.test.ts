import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareExport } from "@/server/dashboard/export-sheets";
import { countDeliveryQueues, listDeliveries } from "@/server/dashboard/list-deliveries";
import { countInboundExchanges, countOutboundAttempts, listInboundExchanges, listOutboundAttempts } from "@/server/dashboard/list-exchanges";
import { countNoticeMatches, searchNotices } from "@/server/dashboard/search-notices";
import { useTestDatabase } from "@/test/database";
import { callPartner } from "@/test/partner-client";
import { shipFromStoreOrder, storeOrder } from "@/test/partner/messages";

// SPEC §6: codes are found whatever the case and in full-width characters (a
// Chinese IME). The search word already folded them; the filters beside it
// (deliveries' shop, the search's shop, the late-store export's shop, the
// exchange log's dispatchNO) compared them exactly, so `s001` found nothing.
// Each filter is fed a code typed another way than it is stored, and a code
// that is not there.

const database = useTestDatabase();
// Stored as the partners sent them: a dispatchNO in mixed case, shops upper case as their POS names them.
const sent = storeOrder({ shopCode: "S001", dispatchNO: "DN-ab12" });
const other = storeOrder({ shopCode: "S002", dispatchNO: "DN-cd34" });
const late = shipFromStoreOrder({ shopCode: "S003" });
const lateOther = shipFromStoreOrder({ shopCode: "S004" });
const refused = storeOrder({ dispatchNO: "DN-EF56" });
// A refused call naming a dispatchNO in mixed case, as partners send them: it reaches no notice to fold through.
const refusedMixed = storeOrder({ dispatchNO: "DN-gh78" });

beforeAll(async () => {
  for (const order of [sent, other]) expect((await callPartner("/pos/ordermake", order)).body).toEqual({ success: true });
  for (const order of [late, lateOther]) expect((await callPartner("/oms/pushorder", order)).body).toEqual({ success: true });
  // A call with a wrong token: logged with the dispatchNO it named kept apart, as claimed.
  for (const order of [refused, refusedMixed]) expect((await callPartner("/pos/ordermake", order, { token: "not-a-token" })).status).toBe(401);
  // One attempt to hand each store order's delivery over, for the outbound log.
  await database.db.execute(sql`
    insert into delivery_attempts (delivery_id, attempt_no, payload_version, url, started_at, duration_ms, http_status, outcome, worker)
    select id, 1, 1, 'http://oms.test', now(), 5, 200, 'delivered', 'test' from deliveries`);
});

// What a person types: another case, full width (the full-width hyphen folds to `-` too).
const typedShop = ["s001", "Ｓ００１", "ｓ００１", " S001 "];
const typedDispatchNo = ["dn-ab12", "DN-AB12", "ｄｎ－ＡＢ１２", "ＤＮ－ａｂ１２"];

describe("the deliveries page's shop filter", () => {
  it.each(typedShop)("%j finds the deliveries of shop S001, and only those", async (typed) => {
    const { rows } = await listDeliveries(database.db, { filter: { shopCode: typed } });
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((row) => row.dispatchNo))).toEqual(new Set([sent.dispatchNO]));
    expect(await countDeliveryQueues(database.db, { shopCode: typed })).toMatchObject({ queued: 1 });
  });

  it("a shop that has no deliveries finds none", async () => {
    expect((await listDeliveries(database.db, { filter: { shopCode: "ｓ００９" } })).rows).toEqual([]);
  });
});

describe("the search's shop filter", () => {
  it.each(typedShop)("%j finds the notices of shop S001, with a term or without", async (typed) => {
    const found = await searchNotices(database.db, { shopCode: typed });
    expect(found.rows.map((row) => row.dispatchNo)).toEqual([sent.dispatchNO]);
    expect(await countNoticeMatches(database.db, { shopCode: typed })).toEqual({ count: 1, more: false });
    // The term is another shop's notice: the filter still narrows.
    expect((await searchNotices(database.db, { shopCode: typed, term: other.dispatchNO })).rows).toEqual([]);
  });

  it("the search word means the shop the same way", async () => {
    expect((await searchNotices(database.db, { term: "ｓ００１" })).rows.map((row) => row.dispatchNo)).toEqual([sent.dispatchNO]);
  });

  it("a shop that has no notices finds none", async () => {
    expect((await searchNotices(database.db, { shopCode: "s009" })).rows).toEqual([]);
  });
});

describe("the late-store export's shop", () => {
  // Two days on, both ship-from-store notices are past the 24 h window.
  const later = () => new Date(Date.now() + 2 * 24 * 3600_000);
  const hasRows = (shopCode: string) => prepareExport("late-stores", { shopCode }, database.db, later()).exceeds(0);

  it.each(["s003", "Ｓ００３", "ｓ００３"])("%j exports the late notices of shop S003", async (typed) => {
    expect(await hasRows(typed)).toBe(true);
  });

  it("a shop with no late notice exports nothing", async () => {
    expect(await hasRows("s009")).toBe(false);
    expect(await hasRows("s001")).toBe(false);
  });
});

describe("the exchange log's dispatchNO filter", () => {
  it.each(typedDispatchNo)("%j finds the calls about DN-ab12 (sent in mixed case), and only those", async (typed) => {
    const { rows } = await listInboundExchanges(database.db, { dispatchNo: typed });
    expect(rows.map((row) => [row.path, row.dispatchNo])).toEqual([["/pos/ordermake", sent.dispatchNO]]);
    expect(await countInboundExchanges(database.db, { dispatchNo: typed })).toEqual({ count: 1, more: false });
  });

  it.each(typedDispatchNo)("%j finds the attempts to deliver DN-ab12", async (typed) => {
    const { rows } = await listOutboundAttempts(database.db, { dispatchNo: typed });
    expect(rows.map((row) => row.dispatchNo)).toEqual([sent.dispatchNO]);
    expect(await countOutboundAttempts(database.db, { dispatchNo: typed })).toEqual({ count: 1, more: false });
  });

  it("a refused call's claimed dispatchNO is found typed in lower case or full width", async () => {
    for (const typed of ["dn-ef56", "ｄｎ－ｅｆ５６"]) {
      const { rows } = await listInboundExchanges(database.db, { dispatchNo: typed });
      expect(rows.map((row) => [row.claimedDispatchNo, row.noticeId])).toEqual([[refused.dispatchNO, null]]);
    }
  });

  it.each(["dn-gh78", "DN-GH78", "ｄｎ－ＧＨ７８", "DN-gh78"])("%j finds a refused call that named DN-gh78 (mixed case)", async (typed) => {
    const { rows } = await listInboundExchanges(database.db, { dispatchNo: typed });
    expect(rows.map((row) => [row.claimedDispatchNo, row.noticeId])).toEqual([[refusedMixed.dispatchNO, null]]);
  });

  it("a dispatchNO that is not there finds nothing", async () => {
    for (const typed of ["ｄｎ－ＡＢ１３", "dn-ab1"]) {
      expect((await listInboundExchanges(database.db, { dispatchNo: typed })).rows).toEqual([]);
      expect((await listOutboundAttempts(database.db, { dispatchNo: typed })).rows).toEqual([]);
    }
  });
});
