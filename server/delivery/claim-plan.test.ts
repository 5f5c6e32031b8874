import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { describeWithPostgres } from "@/test/postgres-server";
import { rowsOf } from "@/db/rows";
import { claimDueDeliveries } from "@/server/delivery/claim-deliveries";
import { useTestDatabase } from "@/test/database";

// The claim runs for every round of every worker. Its plan must stay on the
// notice's own rows whatever the table's statistics say: a backlog queued on a
// table vacuumed but not yet analysed (autovacuum's thresholds differ) is what
// an outage healing looks like. Then PostgreSQL, left to itself, checks each
// candidate's head of line by AND-ing the order_key index with the index of
// every open delivery, reading the whole pending set per candidate.

// PostgreSQL itself: the plan is the server's (the embedded database plans alike, but its statistics differ).
describeWithPostgres("the claim plan on a PostgreSQL server", () => {
  const database = useTestDatabase({ server: true });

  test("the claim reads neither the index of all open deliveries nor the whole table, with stale statistics and with fresh ones", async () => {
    const { db } = database;
    await db.execute(sql`alter table deliveries set (autovacuum_enabled = false)`);
    const queue = (state: string) =>
      db.execute(sql`insert into deliveries (delivery_id, exchange_id, order_key, target, path, payload, state, deadline_at)
        select gen_random_uuid(), gen_random_uuid(), 'DN' || i, 'oms', '/pos/ordermake', '{}', ${state}::delivery_state, now() + interval '1 hour'
        from generate_series(1, 20000) as i`);
    // Yesterday's messages delivered and vacuumed, then a backlog for the same notices before any ANALYZE.
    await queue("delivered");
    await db.execute(sql`vacuum deliveries`);
    await queue("pending");

    // Stale statistics first, then analysed ones: seven rounds each (the sixth run of a prepared statement may go generic).
    for (let round = 0; round < 14; round++) {
      if (round === 7) await db.execute(sql`analyze deliveries`);
      const scans = await db.transaction(async (tx) => {
        const claimed = await claimDueDeliveries(tx, { limit: 16, leaseMs: 60_000, targets: ["oms"] });
        expect(claimed).toHaveLength(16);
        // This transaction's own reads (pg_stat_get_xact_*, pg_stat_xact_*: not yet flushed, exact).
        const [reads] = rowsOf<{ stateIndex: number; seqScan: number }>(
          await tx.execute(sql`select pg_stat_get_xact_numscans('deliveries_by_state_created'::regclass)::int as "stateIndex",
            (select seq_scan from pg_stat_xact_user_tables where relname = 'deliveries')::int as "seqScan"`),
        );
        return reads!;
      });
      expect({ round, ...scans }).toEqual({ round, stateIndex: 0, seqScan: 0 });
    }
  });
});
