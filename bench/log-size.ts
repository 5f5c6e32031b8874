// How many bytes the exchange log and attempt history take per partner call,
// for the README's sizing of LOG_RETENTION_DAYS. Drives every endpoint with the
// tests' realistic bodies through the real route handlers into an embedded
// database, gives each delivery one successful attempt, then reads the
// partitions' total size (heap, TOAST and indexes).
//   npx tsx bench/log-size.ts [--rounds 500]
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { closeHubDatabase, getDb } from "@/db/client";
import { executeRows } from "@/db/rows";
import { callPartner } from "@/test/partner-client";
import { oneOfEach } from "@/test/partner/messages";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "500" } } });
delete process.env.DATABASE_URL;
process.env.DATA_DIR = "memory://";

const db = await getDb();
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [path, body] of Object.entries(oneOfEach())) await callPartner(path, body);
}
await db.execute(sql`insert into delivery_attempts (delivery_id, attempt_no, payload_version, url, started_at, duration_ms, http_status, response_body, outcome, may_have_arrived, worker)
  select id, 1, 1, 'https://oms.example.com/api' || path, now(), 12, 200, '{"success":true}', 'delivered', true, 'worker-0123456789ab' from deliveries`);
await db.execute(sql`vacuum analyze`);
const [size] = await executeRows<{ calls: number; deliveries: number; exchange_bytes: number; attempt_bytes: number }>(
  db,
  sql`select (select count(*) from exchanges)::float8 as calls, (select count(*) from deliveries)::float8 as deliveries,
        (select sum(pg_total_relation_size(inhrelid)) from pg_inherits where inhparent = 'exchanges'::regclass)::float8 as exchange_bytes,
        (select sum(pg_total_relation_size(inhrelid)) from pg_inherits where inhparent = 'delivery_attempts'::regclass)::float8 as attempt_bytes`,
);
const perExchange = size!.exchange_bytes / size!.calls;
const perAttempt = size!.attempt_bytes / size!.deliveries;
// An accepted call queues one delivery, handed over at the first attempt in normal running.
const perCall = perExchange + perAttempt;
const gib = (days: number) => ((perCall * 100_000 * days) / 2 ** 30).toFixed(1);
console.log(
  `${size!.calls} calls, ${size!.deliveries} attempts: ${Math.round(perExchange)} B per exchange, ${Math.round(perAttempt)} B per attempt; ` +
    `a call delivered at the first attempt ${Math.round(perCall)} B; 100 000 calls a day ≈ ${gib(30)} GiB a month, ${gib(180)} GiB for 180 days`,
);
await closeHubDatabase();
