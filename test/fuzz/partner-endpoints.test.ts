import { setConfigForTests } from "@/server/config";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { partnerEndpoints } from "@/server/contract/endpoints";
import { useTestDatabase } from "@/test/database";
import { mutatedCall } from "@/test/fuzz/mutate-body";
import { callPartner } from "@/test/partner-client";
import { checkout, noticeShipped, omsReceive, packageShipped, piece, shipFromStoreOrder, SKU_A, storeOrder, storeRefund, transfer, uniqueCode } from "@/test/partner/messages";

// 10 000 hostile bodies across the 12 endpoints, on the wire as real partners
// send them (charsets, gzip / deflate / br, BOMs): the hub never answers 500,
// never keeps half of a refused call, and every refusal says what is wrong.

const database = useTestDatabase();
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_129);
const BODIES_PER_ENDPOINT = Math.ceil(Number(process.env.FUZZ_BODIES ?? 10_000) / partnerEndpoints.length);

// Notices the follow-up messages talk about, so mutated bodies that stay valid reach the rules and the tables.
const storeOrderNo = uniqueCode("DN");
const shipFromStoreNo = uniqueCode("EC");
const shippedSerial = uniqueCode("SN");
const shippedWaybill = uniqueCode("WB");

const validBodies: Record<string, () => Record<string, unknown>> = {
  "/pos/ordermake": () => storeOrder({ dispatchNO: storeOrderNo }),
  "/pos/orderremove": () => ({ dispatchNO: storeOrderNo }),
  "/pos/checkout": () => checkout(shipFromStoreNo, [{ waybillCode: shippedWaybill, sns: [shippedSerial] }]),
  "/pos/refuse": () => ({ dispatchNO: shipFromStoreNo, reason: "门店缺货" }),
  "/pos/refund": () => storeRefund(shippedSerial),
  "/pos/delivery/waybillchange": () => ({ dispatchNO: shipFromStoreNo, targetbillCode: shippedWaybill, express: "JD", waybillCode: "JD0001" }),
  "/oms/pushorder": () => shipFromStoreOrder({ dispatchNO: shipFromStoreNo }),
  "/oms/orderremove": () => ({ dispatchNO: shipFromStoreNo, shopCode: "S002" }),
  "/oms/delivery/package": () => packageShipped(storeOrderNo, transfer("T1", "WH01", [{ waybillCode: "WB-F1", items: [piece(SKU_A, "SN-F1")] }])),
  "/oms/delivery/notice": () => noticeShipped(storeOrderNo, [transfer("T1", "WH01", [{ waybillCode: "WB-F1", items: [piece(SKU_A, "SN-F1")] }])]),
  "/oms/receive": () => omsReceive(storeOrderNo, piece(SKU_A, "SN-F1"), "T1"),
  "/oms/delivery/waybillchange": () => ({ targetbillCode: "WB-F1", express: "JD", waybillCode: "JD0002" }),
};

/**
 * What a call can change, in one cheap round trip (insert-only tables by their
 * highest id), and how many calls were logged since `since`.
 */
async function hubFingerprint(db: Db, since: Date) {
  const rows = await db.execute(sql`select
    (select md5(coalesce(string_agg(id || status::text || updated_at::text, ',' order by id), '')) from notices) as notices,
    (select count(*) from notice_items)::int as items,
    (select max(id) from transfers) as transfers,
    (select max(id) from packages) as packages,
    (select max(id) from pieces) as pieces,
    (select max(id) from notice_returns) as returns,
    (select max(id) from waybill_changes) as waybill_changes,
    (select max(id) from anomalies) as anomalies,
    (select max(id) from deliveries) as deliveries,
    (select count(*) from idempotency_keys)::int as idempotency_keys,
    (select count(*) from exchanges where received_at >= ${since.toISOString()})::int as logged`);
  return (Array.isArray(rows) ? rows[0] : (rows as { rows: unknown[] }).rows[0]) as Record<string, unknown>;
}

beforeAll(async () => {
  setConfigForTests({ OMS_BASE_URL: undefined, POS_BASE_URL: undefined });
  expect((await callPartner("/pos/ordermake", validBodies["/pos/ordermake"]!())).body).toEqual({ success: true });
  expect((await callPartner("/oms/pushorder", validBodies["/oms/pushorder"]!())).body).toEqual({ success: true });
});

test.each(partnerEndpoints.map((endpoint) => endpoint.path))(
  `${BODIES_PER_ENDPOINT} mutated bodies on %s: no 500, nothing half-stored, every refusal names the problem`,
  async (path) => {
    // Nothing else writes meanwhile, so the state after one call is the state before the next.
    let before = await hubFingerprint(database.db, new Date());
    await fc.assert(
      fc.asyncProperty(mutatedCall(validBodies[path]!), async (call) => {
        const since = new Date();
        const answer = await callPartner(path, null, { rawBody: call.body, headers: call.headers });
        expect(answer.status, answer.body.msg).toBeLessThan(500);
        const after = await hubFingerprint(database.db, since);
        const unchanged = { ...before, logged: after.logged };
        before = after;
        // Every call is in the exchange log, refused ones included.
        expect(after.logged).toBe(1);
        if (answer.status === 200) return;
        expect(after).toEqual(unchanged);
        expect(answer.body.success).toBe(false);
        expect(answer.body.msg).toEqual(expect.any(String));
        if (answer.status === 400) expect(answer.body.msg).toMatch(/JSON|not valid (UTF-8|GBK|GB18030|gzip|deflate|br)|^参数错误 .+: /);
        else if (answer.status === 415) expect(answer.body.msg).toMatch(/charset iso-8859-1|content encoding compress/);
        else expect(answer.status).toBe(413);
      }),
      { seed: SEED, numRuns: BODIES_PER_ENDPOINT, endOnFailure: true },
    );
  },
  120_000,
);
