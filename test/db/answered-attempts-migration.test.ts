import { afterEach, expect, test } from "vitest";
import { migrationBefore, openDatabaseAt, type MigratingDatabase } from "./migrate-up-to";

// Migration 0024_answered_attempts_may_have_arrived: attempts recorded under the old rule (any non-200 answer
// "never arrived") must not let a void collapse a creation the other side answered (server/delivery/may-have-arrived.ts).

// Builds a database from the first migration: on a busy 2-core machine that outlasts the default 30 s.
const BUILDS_A_DATABASE = { timeout: 180_000 };

let database: MigratingDatabase | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

test("an answered attempt of an open delivery may have arrived; a refused connection and closed deliveries stay as they were", BUILDS_A_DATABASE, async () => {
  database = await openDatabaseAt(migrationBefore("answered_attempts_may_have_arrived"));
  await database.query(`insert into notices (id, dispatch_no, kind, shop_code, created_by_exchange_id)
                        values (1, 'N-1', 'store_order', 'S001', '00000000-0000-7000-8000-000000000000')`);
  for (const [id, state] of [[1, "pending"], [2, "timed_out"], [3, "cancelled"]] as const) {
    await database.query(`insert into deliveries (id, delivery_id, exchange_id, notice_id, order_key, target, path, payload, deadline_at, state)
                          values (${id}, '00000000-0000-4000-8000-00000000000${id}', '00000000-0000-7000-8000-000000000000', 1, 'N-1', 'oms',
                                  '/pos/ordermake', '{}', now(), '${state}')`);
  }
  const attempts: [deliveryId: number, attemptNo: number, status: number | null][] = [
    [1, 1, null], // connection refused
    [1, 2, 500],
    [2, 1, 504],
    [3, 1, 502],
  ];
  for (const [deliveryId, attemptNo, status] of attempts) {
    await database.query(`insert into delivery_attempts (delivery_id, attempt_no, payload_version, url, started_at, duration_ms, http_status, error, outcome, may_have_arrived, worker)
                          values (${deliveryId}, ${attemptNo}, 1, 'http://127.0.0.1:1/pos/ordermake', now(), 5, ${status ?? "null"},
                                  '${status === null ? "ECONNREFUSED" : `HTTP ${status}`}', 'failed', false, 'w1')`);
  }

  await database.migrateToLatest();

  const after = await database.query<{ delivery_id: string | number; attempt_no: number; may_have_arrived: boolean }>(
    `select delivery_id, attempt_no, may_have_arrived from delivery_attempts order by delivery_id, attempt_no`,
  );
  expect(after.map((row) => [Number(row.delivery_id), row.attempt_no, row.may_have_arrived])).toEqual([
    [1, 1, false],
    [1, 2, true],
    [2, 1, true],
    [3, 1, false],
  ]);
});
