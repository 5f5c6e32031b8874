import { afterEach, expect, test } from "vitest";
import { deliveryAttempts } from "@/db/schema/deliveries";
import { exchanges } from "@/db/schema/exchanges";
import { listLogPartitions, monthStart, partitionName } from "@/server/maintenance/log-partitions";
import { migrationBefore, openDatabaseAt, type MigratingDatabase } from "./migrate-up-to";

// Migration 0012_partition_log_by_month converts a live database: the exchange log and attempt history
// become partitioned by month without losing or changing a row.

// Each test builds a database from the first migration: on a busy 2-core machine that outlasts the default 30 s.
const BUILDS_A_DATABASE = { timeout: 180_000 };

let database: MigratingDatabase | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

const EXCHANGE_TIMES = [
  "2025-12-15T08:00:00.000Z",
  "2026-02-10T12:30:00.000Z",
  "2026-03-31T23:59:59.999Z", // last instant of March (UTC)
  "2026-04-01T00:00:00.000Z", // first instant of April
];
const ATTEMPT_TIMES = ["2026-02-10T12:31:00.000Z", "2026-04-01T00:00:01.000Z"];

async function seedBeforePartitioning(db: MigratingDatabase) {
  const now = new Date().toISOString();
  await db.query(`insert into notices (id, dispatch_no, kind, shop_code, created_by_exchange_id)
                  values (1, 'N-1', 'store_order', 'S001', '00000000-0000-7000-8000-000000000000')`);
  const times = [...EXCHANGE_TIMES, now];
  for (const [i, at] of times.entries()) {
    await db.query(`insert into exchanges (id, received_at, side, path, headers, request_body, response_status, response_body, duration_ms, outcome, dispatch_no, notice_id, token_label)
                    values ('00000000-0000-7000-8000-00000000000${i}', '${at}', 'pos', '/pos/ordermake', '{"x-request-id":"r${i}"}',
                            '{"dispatchNO":"N-1","n":${i}}', 200, '{"success":true}', ${i + 3}, 'accepted', 'N-1', 1, 'pos-bootstrap')`);
  }
  await db.query(`insert into idempotency_keys (key, exchange_id) values ('pos:/pos/ordermake:abc', '00000000-0000-7000-8000-000000000000')`);
  await db.query(`insert into deliveries (id, delivery_id, exchange_id, notice_id, order_key, target, path, payload, deadline_at)
                  values (1, '00000000-0000-4000-8000-000000000001', '00000000-0000-7000-8000-000000000000', 1, 'N-1', 'oms', '/pos/ordermake', '{}', now())`);
  for (const [i, at] of [...ATTEMPT_TIMES, now].entries()) {
    await db.query(`insert into delivery_attempts (delivery_id, attempt_no, payload_version, url, started_at, duration_ms, http_status, response_body, error, outcome, may_have_arrived, worker)
                    values (1, ${i + 1}, 1, 'http://127.0.0.1:1/pos/ordermake', '${at}', 5, 502, 'bad gateway', null, 'failed', true, 'w1')`);
  }
}

const everything = (db: MigratingDatabase) =>
  Promise.all([
    db.query(`select * from exchanges order by id`),
    db.query(`select * from delivery_attempts order by id`),
    db.query(`select * from idempotency_keys`),
  ]);

const pick = (row: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((key) => [key, row[key]]));

/** The month names from `first` to two months after now, each month once. */
function monthsThrough(table: "exchanges" | "delivery_attempts", first: string): string[] {
  const names: string[] = [];
  for (let month = monthStart(new Date(first)); month <= monthStart(new Date(), 2); month = monthStart(month, 1)) {
    names.push(partitionName(table, month));
  }
  return names;
}

test("an existing log with rows from several months is partitioned by month with every row kept", BUILDS_A_DATABASE, async () => {
  database = await openDatabaseAt(migrationBefore("partition_log_by_month"));
  await seedBeforePartitioning(database);
  const before = await everything(database);

  await database.migrateToLatest();

  // Every row and value kept (later migrations may add columns: compare the columns there were).
  const after = await everything(database);
  const asBefore = after.map((rows, table) => rows.map((row) => pick(row as Record<string, unknown>, Object.keys((before[table]![0] ?? {})))));
  expect(asBefore).toEqual(before);
  const kinds = await database.query<{ relname: string; relkind: string }>(
    `select relname, relkind::text from pg_class where relname in ('exchanges', 'delivery_attempts') order by relname`,
  );
  expect(kinds).toEqual([
    { relname: "delivery_attempts", relkind: "p" },
    { relname: "exchanges", relkind: "p" },
  ]);
  // A partition for every month from the oldest row (gaps included) to two months ahead.
  expect((await listLogPartitions(database.db, "exchanges")).map((p) => p.name)).toEqual(monthsThrough("exchanges", EXCHANGE_TIMES[0]!));
  expect((await listLogPartitions(database.db, "delivery_attempts")).map((p) => p.name)).toEqual(
    monthsThrough("delivery_attempts", ATTEMPT_TIMES[0]!),
  );
  // Each row sits in its own month's partition (month boundaries in UTC).
  const placed = await database.query<{ partition: string; received_at: Date | string }>(
    `select tableoid::regclass::text as partition, received_at from exchanges order by received_at`,
  );
  for (const row of placed) {
    expect(row.partition).toBe(partitionName("exchanges", monthStart(new Date(row.received_at))));
  }
  // The keys, indexes and foreign keys are back under their names, on the partitioned tables
  // (later migrations may add indexes of their own: every one there was must be back).
  const indexes = await database.query<{ indexname: string }>(
    `select indexname from pg_indexes where tablename in ('exchanges', 'delivery_attempts') order by indexname`,
  );
  expect(indexes.map((i) => i.indexname)).toEqual(expect.arrayContaining([
    "delivery_attempts_by_delivery",
    "delivery_attempts_by_started",
    "delivery_attempts_pkey",
    "exchanges_by_dispatch_no",
    "exchanges_by_notice",
    "exchanges_by_path_received",
    "exchanges_by_received",
    "exchanges_pkey",
  ]));
  const foreignKeys = await database.query<{ conname: string }>(
    `select conname from pg_constraint where contype = 'f' and conrelid in ('exchanges'::regclass, 'delivery_attempts'::regclass) order by conname`,
  );
  expect(foreignKeys.map((f) => f.conname)).toEqual([
    "delivery_attempts_delivery_id_deliveries_id_fk",
    "exchanges_notice_id_notices_id_fk",
  ]);

  // The hub writes on: attempt ids continue from the old sequence; a month without a partition lands in DEFAULT.
  const [attempt] = await database.db
    .insert(deliveryAttempts)
    .values({ deliveryId: 1, attemptNo: 4, payloadVersion: 1, url: "http://127.0.0.1:1/x", startedAt: new Date(), durationMs: 1, outcome: "delivered", worker: "w2" })
    .returning({ id: deliveryAttempts.id });
  expect(attempt!.id).toBe(4);
  await database.db.insert(exchanges).values({
    id: "00000000-0000-7000-8000-0000000000ff",
    receivedAt: new Date("2031-01-01T00:00:00Z"),
    side: "oms",
    path: "/oms/pushorder",
    headers: {},
    requestBody: "{}",
    responseStatus: 200,
    responseBody: { success: true },
    durationMs: 1,
    outcome: "accepted",
  });
  const [far] = await database.query<{ partition: string }>(
    `select tableoid::regclass::text as partition from exchanges where id = '00000000-0000-7000-8000-0000000000ff'`,
  );
  expect(far!.partition).toBe("exchanges_default");
  // The key still refuses a second row with the same id at the same time.
  await expect(
    database.query(`insert into exchanges select * from exchanges where id = '00000000-0000-7000-8000-000000000000'`),
  ).rejects.toThrow(/exchanges_pkey|duplicate key/);
});

test("an empty database is partitioned from the current month", BUILDS_A_DATABASE, async () => {
  database = await openDatabaseAt(migrationBefore("partition_log_by_month"));
  await database.migrateToLatest();
  const now = new Date();
  expect((await listLogPartitions(database.db, "exchanges")).map((p) => p.name)).toEqual([0, 1, 2].map((i) => partitionName("exchanges", monthStart(now, i))));
});
