import { setConfigForTests } from "@/server/config";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { executeRows } from "@/db/rows";
import { partnerEndpoints } from "@/server/contract/endpoints";
import { useTestDatabase } from "@/test/database";
import { mutatedCallIn } from "@/test/fuzz/mutate-body";
import { callPartner } from "@/test/partner-client";
import {
  checkout,
  noticeShipped,
  omsReceive,
  packageShipped,
  piece,
  shipFromStoreOrder,
  SKU_A,
  storeOrder,
  storeRefund,
  transfer,
  uniqueCode,
} from "@/test/partner/messages";

// Hostile bodies across the 12 endpoints, on the wire as real partners
// send them (charsets, gzip / deflate / br, BOMs, duplicate keys): the hub never
// answers 500, never keeps any part of a refused call, and every refusal says
// what is wrong. Every body is about notices of its own (fresh numbers), created
// first where the message follows up on one, so a mutated body that stays valid
// reaches the write path it is for: a creation inserts, a shipment ships, a
// return returns, a waybill change changes.

const database = useTestDatabase();
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_129);
// Each body costs its setup calls and two fingerprints of every table: 2 400 by default, FUZZ_BODIES=10000 for a long run.
const BODIES_PER_ENDPOINT = Math.ceil(Number(process.env.FUZZ_BODIES ?? 2_400) / partnerEndpoints.length);

type Body = Record<string, unknown>;
/** The numbers one body is about, new for every body. */
type Fresh = { store: string; ship: string; waybill: string; serial: string };
const fresh = (): Fresh => ({ store: uniqueCode("DN"), ship: uniqueCode("EC"), waybill: uniqueCode("WB"), serial: uniqueCode("SN") });

const storeOrderOf = (f: Fresh): [string, Body] => ["/pos/ordermake", storeOrder({ dispatchNO: f.store })];
const shipFromStoreOf = (f: Fresh): [string, Body] => ["/oms/pushorder", shipFromStoreOrder({ dispatchNO: f.ship })];
const shippedTransfer = (f: Fresh) => transfer("T1", "WH01", [{ waybillCode: f.waybill, items: [piece(SKU_A, f.serial)] }]);
const packageOf = (f: Fresh): [string, Body] => ["/oms/delivery/package", packageShipped(f.store, shippedTransfer(f))];
const checkoutOf = (f: Fresh): [string, Body] => ["/pos/checkout", checkout(f.ship, [{ waybillCode: f.waybill, sns: [f.serial] }])];

/** Per endpoint: the valid body, and the calls that make the notice it follows up on. */
const scenarios: Record<string, { valid: (f: Fresh) => Body; before: (f: Fresh) => [string, Body][] }> = {
  "/pos/ordermake": { valid: (f) => storeOrderOf(f)[1], before: () => [] },
  "/pos/orderremove": { valid: (f) => ({ dispatchNO: f.store }), before: (f) => [storeOrderOf(f)] },
  "/pos/checkout": { valid: (f) => checkoutOf(f)[1], before: (f) => [shipFromStoreOf(f)] },
  "/pos/refuse": { valid: (f) => ({ dispatchNO: f.ship, reason: "门店缺货" }), before: (f) => [shipFromStoreOf(f)] },
  "/pos/refund": { valid: (f) => storeRefund(f.serial), before: (f) => [shipFromStoreOf(f), checkoutOf(f)] },
  "/pos/delivery/waybillchange": {
    valid: (f) => ({ dispatchNO: f.ship, targetbillCode: f.waybill, express: "JD", waybillCode: uniqueCode("JD") }),
    before: (f) => [shipFromStoreOf(f), checkoutOf(f)],
  },
  "/oms/pushorder": { valid: (f) => shipFromStoreOf(f)[1], before: () => [] },
  "/oms/orderremove": { valid: (f) => ({ dispatchNO: f.ship, shopCode: "S002" }), before: (f) => [shipFromStoreOf(f)] },
  "/oms/delivery/package": { valid: (f) => packageOf(f)[1], before: (f) => [storeOrderOf(f)] },
  "/oms/delivery/notice": { valid: (f) => noticeShipped(f.store, [shippedTransfer(f)]), before: (f) => [storeOrderOf(f)] },
  "/oms/receive": { valid: (f) => omsReceive(f.store, piece(SKU_A, f.serial), "T1"), before: (f) => [storeOrderOf(f), packageOf(f)] },
  "/oms/delivery/waybillchange": {
    valid: (f) => ({ targetbillCode: f.waybill, express: "JD", waybillCode: uniqueCode("JD") }),
    before: (f) => [storeOrderOf(f), packageOf(f)],
  },
};

/** The log of calls: the one thing a refused call writes (one row, or a tally past the logging budget). */
const CALL_LOG = new Set(["exchanges", "refused_call_tallies"]);
/** What a business refusal (200, success false) may write besides: its key, so a repeat hears the same, and anomalies. */
const KEPT_BY_A_BUSINESS_REFUSAL = ["idempotency_keys", "anomalies"];
/**
 * What partner calls write, emptied before each body (deleted, the rest follows by ON DELETE; the
 * call log stays): every body starts from an empty hub, so a fingerprint of all rows stays cheap
 * however many bodies run (each is about notices of its own anyway).
 */
const EMPTIED_BEFORE_EACH_BODY = ["deliveries", "problems", "anomalies", "notices", "idempotency_keys"];
let fingerprintQuery: ReturnType<typeof sql>;

/** Every other table (partitioned ones once, not per partition), read from the catalogue once. */
async function tablesToFingerprint(db: Db): Promise<string[]> {
  const rows = await executeRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`,
  );
  return rows.map((row) => row.name).filter((name) => !CALL_LOG.has(name));
}

/**
 * Per table: its row count and an md5 of all its rows (an updated row changes
 * it as much as a new one); and how many calls were logged since `since`.
 */
async function hubFingerprint(db: Db, since: Date) {
  const [row] = await executeRows<{ tables: Record<string, string>; logged: number }>(
    db,
    sql`select (${fingerprintQuery}) as tables,
      (select count(*) from exchanges where received_at >= ${since.toISOString()})::int as logged`,
  );
  return row!;
}

beforeAll(async () => {
  setConfigForTests({ OMS_BASE_URL: undefined, POS_BASE_URL: undefined });
  const parts = (await tablesToFingerprint(database.db)).map(
    (name) =>
      sql`${name}::text, (select count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from ${sql.identifier(name)} as t)`,
  );
  fingerprintQuery = sql`select jsonb_build_object(${sql.join(parts, sql`, `)})`;
});

test.each(partnerEndpoints.map((endpoint) => endpoint.path))(
  `${BODIES_PER_ENDPOINT} mutated bodies on %s, each about notices of its own: no 500, nothing of a refused call stored, every refusal names the problem`,
  async (path) => {
    const scenario = scenarios[path]!;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(mutatedCallIn(fresh, scenario.valid), async ({ context, call }) => {
        for (const table of EMPTIED_BEFORE_EACH_BODY) await database.db.execute(sql`delete from ${sql.identifier(table)}`);
        for (const [beforePath, body] of scenario.before(context)) {
          expect((await callPartner(beforePath, body)).body, `${beforePath} before ${path}`).toEqual({ success: true });
        }
        // Nothing else writes meanwhile: what differs afterwards, the call wrote.
        const since = new Date();
        const before = await hubFingerprint(database.db, since);
        const answer = await callPartner(path, null, { rawBody: call.body, headers: call.headers });
        expect(answer.status, answer.body.msg).toBeLessThan(500);
        const after = await hubFingerprint(database.db, since);
        // Every call is in the exchange log, refused ones included.
        expect(after.logged).toBe(1);
        if (answer.status === 200 && answer.body.success === true) {
          accepted++;
          return;
        }
        expect(answer.body.success).toBe(false);
        expect(answer.body.msg).toEqual(expect.any(String));
        if (answer.status === 200) {
          // Refused by a business rule (SPEC §4), in the document's words: the notice and the outbox untouched.
          const without = (tables: Record<string, string>) => ({ ...tables, ...Object.fromEntries(KEPT_BY_A_BUSINESS_REFUSAL.map((name) => [name, "-"])) });
          expect(without(after.tables)).toEqual(without(before.tables));
          return;
        }
        expect(after.tables).toEqual(before.tables);
        if (answer.status === 400) expect(answer.body.msg).toMatch(/JSON|not valid (UTF-8|GBK|GB18030|gzip|deflate|br)|^参数错误 .+: /);
        else if (answer.status === 415) expect(answer.body.msg).toMatch(/charset iso-8859-1|content encoding compress/);
        else expect(answer.status).toBe(413);
      }),
      { seed: SEED, numRuns: BODIES_PER_ENDPOINT, endOnFailure: true },
    );
    // Hostile but valid bodies did reach the write path.
    expect(accepted).toBeGreaterThan(0);
  },
  600_000,
);
