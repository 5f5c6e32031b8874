import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { alertChannels, alertSends } from "@/db/schema/alerts";
import { refusedCallTallies } from "@/db/schema/exchanges";
import { signInLimits } from "@/db/schema/users";
import { forgetOldRows, REFUSED_TALLY_RETENTION_DAYS } from "@/server/maintenance/forget-old-rows";
import { useTestDatabase } from "@/test/database";

// Issue 10: tables that grow by a row per refused call or alert kept every row
// forever. The daily upkeep deletes them by age, keeping what is still in use.

const database = useTestDatabase();
const DAY = 24 * 3600_000;
const now = new Date("2026-11-30T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

test("deletes refused-call tallies past a month, finished alert sends past the log's retention, expired sign-in blocks; keeps the rest", async () => {
  // 12 000 old rows: more than one delete batch.
  const oldMinute = daysAgo(REFUSED_TALLY_RETENTION_DAYS + 1).toISOString();
  await database.db.execute(sql`
    insert into refused_call_tallies (client_address, minute, calls, last_path, last_status, last_at)
    select '198.51.100.' || (i % 250), ${oldMinute}::timestamptz - i * interval '1 minute', 5, '/pos/ordermake', 401, ${oldMinute}::timestamptz
    from generate_series(1, 12000) as i`);
  await database.db.insert(refusedCallTallies).values({ clientAddress: "203.0.113.9", minute: daysAgo(2), calls: 300, lastPath: "/pos/ordermake", lastStatus: 401, lastAt: daysAgo(2) });

  const [channel] = await database.db.insert(alertChannels).values({ name: "ops", kind: "wecom", rules: [], summary: {} }).returning({ id: alertChannels.id });
  const send = (state: "pending" | "sent" | "failed", createdAt: Date, title: string) => ({ channelId: channel!.id, kind: "opened" as const, state, title, message: { kind: "opened" as const, title, facts: [], linkLabel: "" }, createdAt });
  await database.db.insert(alertSends).values([send("sent", daysAgo(200), "old sent"), send("failed", daysAgo(181), "old failed"), send("pending", daysAgo(200), "old but pending"), send("sent", daysAgo(10), "recent")]);

  await database.db.insert(signInLimits).values([
    { key: "account:gone@hub.test", points: 5, expire: now.getTime() - 1 },
    { key: "account:still@hub.test", points: 5, expire: now.getTime() + 60_000 },
  ]);

  expect(await forgetOldRows(database.db, now, 180)).toEqual({ refused_call_tallies: 12_000, alert_sends: 2, sign_in_limits: 1 });
  expect(await database.db.select({ address: refusedCallTallies.clientAddress }).from(refusedCallTallies)).toEqual([{ address: "203.0.113.9" }]);
  expect((await database.db.select({ title: alertSends.title }).from(alertSends).orderBy(alertSends.id)).map((row) => row.title)).toEqual(["old but pending", "recent"]);
  expect(await database.db.select({ key: signInLimits.key }).from(signInLimits)).toEqual([{ key: "account:still@hub.test" }]);
  // Nothing left to delete: a second run deletes nothing.
  expect(await forgetOldRows(database.db, now, 180)).toEqual({ refused_call_tallies: 0, alert_sends: 0, sign_in_limits: 0 });
});
