import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { exchanges, idempotencyKeys } from "@/db/schema/exchanges";
import { useTestDatabase } from "@/test/database";
import { describeWithPostgres } from "@/test/postgres-server";

const claimKey = preparedInTransaction("test_claim_key", (db) =>
  db
    .insert(idempotencyKeys)
    .values({ key: sql.placeholder("key"), exchangeId: sql.placeholder("exchangeId") })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key, createdAt: idempotencyKeys.createdAt }),
);

const logExchange = preparedInTransaction("test_log_exchange", (db) =>
  db.insert(exchanges).values({
    id: sql.placeholder("id"),
    receivedAt: sql.placeholder("receivedAt"),
    side: "pos",
    path: "/pos/ordermake",
    headers: sql.placeholder("headers"),
    requestBody: "{}",
    responseStatus: 200,
    responseBody: sql.placeholder("responseBody"),
    durationMs: 1,
    outcome: "accepted",
    normalisation: sql.placeholder("normalisation"),
  }),
);

// A left join: the exchange's columns are null (not an object of nulls) when it is missing, as drizzle maps them.
const keyWithAnswer = preparedInTransaction("test_key_with_answer", (db) =>
  db
    .select({ exchangeId: idempotencyKeys.exchangeId, answer: { body: exchanges.responseBody, at: exchanges.receivedAt } })
    .from(idempotencyKeys)
    .leftJoin(exchanges, eq(exchanges.id, idempotencyKeys.exchangeId))
    .where(eq(idempotencyKeys.key, sql.placeholder("key"))),
);

const moveKey = preparedInTransaction("test_move_key", (db) =>
  db
    .update(idempotencyKeys)
    .set({ exchangeId: sql`${sql.placeholder("to")}`, createdAt: sql`${sql.placeholder("at")}` })
    .where(and(eq(idempotencyKeys.key, sql.placeholder("key")), eq(idempotencyKeys.exchangeId, sql.placeholder("from"))))
    .returning(),
);

// Raw SQL naming its columns: any number of rows as one JSON array, one statement.
const claimKeys = preparedInTransaction("test_claim_keys", (db) =>
  db.execute(sql`
    insert into ${idempotencyKeys} (key, exchange_id)
    select key, ${sql.placeholder("exchangeId")}::uuid from jsonb_to_recordset(${sql.placeholder("keys")}::jsonb) as k(key text)`),
);

const ids = ["0190a000-0000-7000-8000-000000000001", "0190a000-0000-7000-8000-000000000002"] as const;

function statementTests(handle: { db: Db }) {
  test("inserts, selects and updates inside transactions, rows mapped as drizzle maps them", async () => {
    const at = new Date("2026-12-01T03:00:00.123Z");
    await handle.db.transaction(async (tx) => {
      const [claimed] = await claimKey.run(tx, { key: "k1", exchangeId: ids[0] });
      expect(claimed?.key).toBe("k1");
      expect(claimed?.createdAt).toBeInstanceOf(Date);
      expect(await claimKey.run(tx, { key: "k1", exchangeId: ids[1] })).toEqual([]);
      // Before the exchange exists: the joined object is null.
      expect(await keyWithAnswer.run(tx, { key: "k1" })).toEqual([{ exchangeId: ids[0], answer: null }]);
      await logExchange.run(tx, {
        id: ids[0],
        receivedAt: at,
        headers: { "x-a": "1" },
        responseBody: { success: true },
        normalisation: null,
      });
    });
    // A second transaction reuses the statements built in the first.
    await handle.db.transaction(async (tx) => {
      expect(await keyWithAnswer.run(tx, { key: "k1" })).toEqual([{ exchangeId: ids[0], answer: { body: { success: true }, at } }]);
      const moved = await moveKey.run(tx, { key: "k1", from: ids[0], to: ids[1], at });
      expect(moved).toEqual([{ key: "k1", exchangeId: ids[1], createdAt: at }]);
      expect(await moveKey.run(tx, { key: "k1", from: ids[0], to: ids[1], at })).toEqual([]);
    });
    // The database itself, outside a transaction, too; jsonb stored as JSON and a null as SQL NULL.
    const [row] = await handle.db.select().from(exchanges).where(eq(exchanges.id, ids[0]));
    expect(row).toMatchObject({ headers: { "x-a": "1" }, responseBody: { success: true }, normalisation: null, receivedAt: at });
    expect(await keyWithAnswer.run(handle.db, { key: "nothing" })).toEqual([]);
  });

  test("a rolled-back transaction keeps none of its statements' writes", async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        await claimKey.run(tx, { key: "k-rolled-back", exchangeId: ids[0] });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await keyWithAnswer.run(handle.db, { key: "k-rolled-back" })).toEqual([]);
  });

  test("a raw statement takes any number of rows in one parameter", async () => {
    await handle.db.transaction(async (tx) => {
      await claimKeys.run(tx, { exchangeId: ids[1], keys: JSON.stringify([{ key: "r1" }, { key: "r2" }, { key: "r3" }]) });
      await claimKeys.run(tx, { exchangeId: ids[0], keys: JSON.stringify([{ key: "r4" }]) });
    });
    const rows = await handle.db
      .select({ key: idempotencyKeys.key, exchangeId: idempotencyKeys.exchangeId })
      .from(idempotencyKeys)
      .where(sql`${idempotencyKeys.key} like 'r%'`)
      .orderBy(idempotencyKeys.key);
    expect(rows).toEqual([
      { key: "r1", exchangeId: ids[1] },
      { key: "r2", exchangeId: ids[1] },
      { key: "r3", exchangeId: ids[1] },
      { key: "r4", exchangeId: ids[0] },
    ]);
  });

  test("a missing value is refused before anything is sent", async () => {
    await expect(claimKey.run(handle.db, { key: "k-missing" })).rejects.toThrow('No value for placeholder "exchangeId"');
    expect(await keyWithAnswer.run(handle.db, { key: "k-missing" })).toEqual([]);
  });
}

describe("a statement built once, on the default database (embedded unless DATABASE_URL is set)", () => {
  statementTests(useTestDatabase());
});

describeWithPostgres("a statement built once, on PostgreSQL (postgres.js)", () => {
  statementTests(useTestDatabase({ server: true }));
});
