// The deliveries page at volume (issue 13): seeds `count` deliveries into a
// database of its own — a day's worth of traffic mostly delivered, with a few
// thousand open ones, some of them held back behind their notice's head — and
// times the page's two procedures (queue counts, first page) through the
// dashboard's own functions, beside the exact counts the page ran before.
import { count } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { ms, type BenchResult } from "@/bench/lib/results";
import { summarize } from "@/bench/lib/stats";
import { countDeliveryQueues, listDeliveries } from "@/server/dashboard/list-deliveries";
import { deliveryConditions } from "@/server/delivery/delivery-filter";
import { deliveryQueues } from "@/lib/delivery-queues";

const ROUNDS = 10;

/** Seeds `total` deliveries unless the database already holds them (a kept database is reused). */
async function seed(sql: postgres.Sql, total: number) {
  const [{ n }] = (await sql`select count(*)::int as n from deliveries`) as unknown as [{ n: number }];
  if (n >= total) return;
  const open = Math.min(5_000, Math.floor(total / 100));
  // Delivered rows in batches, so one statement does not hold a million-row transaction.
  for (let start = n; start < total - open; start += 200_000) {
    const rows = Math.min(200_000, total - open - start);
    await sql`insert into deliveries (delivery_id, exchange_id, order_key, target, path, payload, state, attempts, deadline_at, created_at, finished_at)
      select gen_random_uuid(), gen_random_uuid(), 'DN' || (${start} + i), 'oms', '/pos/ordermake', '{"dispatchNO":"x"}', 'delivered', 1,
             now() + interval '1 hour', now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval
      from generate_series(1, ${rows}) as i`;
  }
  // Open ones: pending (first try and retrying), two per notice so half are held back, and some rejected / timed out.
  await sql`insert into deliveries (delivery_id, exchange_id, order_key, target, path, payload, state, attempts, deadline_at)
    select gen_random_uuid(), gen_random_uuid(), 'OPEN' || (i / 2), 'oms', '/pos/ordermake', '{"dispatchNO":"x"}',
           (array['pending','pending','pending','rejected','timed_out'])[1 + i % 5]::delivery_state, i % 3, now() + interval '1 hour'
    from generate_series(1, ${open}) as i`;
  await sql`analyze deliveries`;
}

const time = async (run: () => Promise<unknown>) => {
  const timings: number[] = [];
  await run(); // statements prepared, pages cached
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await run();
    timings.push(performance.now() - started);
  }
  return summarize(timings);
};

/** The queue counts as the page ran them before issue 13: eight exact COUNT(*)s. */
const exactCounts = (db: Db) =>
  Promise.all(deliveryQueues.map((queue) => db.select({ n: count() }).from(deliveries).where(deliveryConditions({ queue }))));

export async function runCounts(url: string, total: number): Promise<BenchResult[]> {
  const client = postgres(url, { max: 10, onnotice: () => {} });
  const db = drizzle({ client, casing: "snake_case" }) as unknown as Db;
  try {
    await seed(client, total);
    const bounded = await time(() => countDeliveryQueues(db, {}));
    const exact = await time(() => exactCounts(db));
    const firstPage = await time(() => listDeliveries(db, { filter: {} }));
    const size = `${total.toLocaleString("en-US")} deliveries`;
    return [
      { section: "dashboard", name: "deliveries page: queue counts, exact up to 10,000 (countDeliveryQueues)", value: `p50 ${ms(bounded.p50)}, max ${ms(bounded.max)}`, target: "< 100 ms", pass: bounded.p50 < 100, note: size },
      { section: "dashboard", name: "deliveries page: the eight exact COUNT(*)s it ran before", value: `p50 ${ms(exact.p50)}, max ${ms(exact.max)}`, note: size },
      { section: "dashboard", name: "deliveries page: first page of 50 (listDeliveries)", value: `p50 ${ms(firstPage.p50)}, max ${ms(firstPage.max)}`, target: "< 100 ms", pass: firstPage.p50 < 100, note: size },
    ];
  } finally {
    await client.end();
  }
}
