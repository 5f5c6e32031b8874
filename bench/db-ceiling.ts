// The database ceiling of the ingest benchmark: the rows one accepted
// `pos/ordermake` writes (idempotency key, notice, items, exchange, delivery;
// the deliveries trigger sends the NOTIFY), in one transaction, from one Node
// process with the hub's pool size, no HTTP and no framework. Prints one JSON line.
import { createHash, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { storeOrderBodies } from "@/bench/lib/store-orders";
import { summarize } from "@/bench/lib/stats";

const { values } = parseArgs({
  options: { url: { type: "string" }, seconds: { type: "string", default: "10" }, pool: { type: "string", default: "10" }, concurrency: { type: "string", default: "10" } },
});
const sql = postgres(values.url!, { max: Number(values.pool), onnotice: () => {} });
const next = storeOrderBodies(900);
const latencies: number[] = [];

async function writeOne() {
  const { body } = next();
  const order = JSON.parse(body) as Record<"dispatchNO" | "shopCode" | "purchaseCode" | "receiver" | "phone" | "province" | "city" | "county" | "address", string> & {
    memberCode: string | null;
    items: { product: string; color: string; size: string; qty: number }[];
  };
  const key = createHash("sha256").update(`pos /pos/ordermake ${body}`).digest("hex");
  const exchangeId = randomUUID();
  const now = new Date();
  await sql.begin(async (tx) => {
    await tx`insert into idempotency_keys (key, exchange_id) values (${key}, ${exchangeId}) on conflict do nothing returning key`;
    const [notice] = await tx<{ id: number }[]>`insert into notices (dispatch_no, kind, shop_code, purchase_code, member_code, receiver, phone, phone_tail, province, city, county, address, created_at, updated_at, created_by_exchange_id)
      values (${order.dispatchNO}, 'store_order', ${order.shopCode}, ${order.purchaseCode}, ${order.memberCode}, ${order.receiver}, ${order.phone}, ${order.phone.slice(-4)}, ${order.province}, ${order.city}, ${order.county}, ${order.address}, ${now}, ${now}, ${exchangeId})
      on conflict (dispatch_no) do nothing returning id`;
    await tx`insert into notice_items ${tx(order.items.map((item) => ({ notice_id: notice!.id, product: item.product, color: item.color, size: item.size, qty_ordered: item.qty })))}`;
    await tx`insert into exchanges (id, received_at, side, path, headers, request_body, response_status, response_body, duration_ms, outcome, dispatch_no, notice_id, token_label)
      values (${exchangeId}, ${now}, 'pos', '/pos/ordermake', '{"content-type":"application/json"}', ${body}, 200, '{"success":true}', 1, 'accepted', ${order.dispatchNO}, ${notice!.id}, 'HUB_POS_TOKEN')`;
    await tx`insert into deliveries (delivery_id, exchange_id, notice_id, order_key, target, path, payload, deadline_at, next_attempt_at, created_at)
      values (${randomUUID()}, ${exchangeId}, ${notice!.id}, ${order.dispatchNO}, 'oms', '/pos/ordermake', ${body}, ${new Date(now.getTime() + 3_600_000)}, ${now}, ${now})`;
  });
}

const seconds = Number(values.seconds);
// Warm the pool and the statement cache first, as the hub is warmed.
await Promise.all(Array.from({ length: Number(values.concurrency) }, () => writeOne()));
const started = performance.now();
const stopAt = started + seconds * 1000;
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async () => {
    while (performance.now() < stopAt) {
      const t0 = performance.now();
      await writeOne();
      latencies.push(performance.now() - t0);
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
const summary = summarize(latencies);
await sql.end();
console.log(JSON.stringify({ requests: latencies.length, rps: latencies.length / elapsed, p50: summary.p50, p99: summary.p99 }));
