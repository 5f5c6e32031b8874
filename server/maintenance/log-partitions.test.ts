import { eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { deliveries, deliveryActions, deliveryAttempts } from "@/db/schema/deliveries";
import { exchanges, idempotencyKeys } from "@/db/schema/exchanges";
import { notices } from "@/db/schema/notices";
import { getNoticeStory } from "@/server/dashboard/get-notice-story";
import { listNoticeTimeline, noticeTimelineSchema } from "@/server/dashboard/list-notice-timeline";
import {
  createLogPartitionsAhead,
  dropExpiredLogPartitions,
  listLogPartitions,
  maintainLogPartitions,
  partitionName,
} from "@/server/maintenance/log-partitions";
import { useTestDatabase } from "@/test/database";
import { callPartner } from "@/test/partner-client";
import { exchangesOf } from "@/test/partner/hub-state";
import { shipFromStoreOrder, storeOrder } from "@/test/partner/messages";

const database = useTestDatabase();

const partitionOf = async (table: "exchanges" | "delivery_attempts", idColumn: string, id: string | number) => {
  const rows = await database.db.execute(sql.raw(`select tableoid::regclass::text as partition from ${table} where ${idColumn} = '${id}'`));
  const [row] = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { partition: string }[];
  return row?.partition;
};

/** Moves a logged call to another time (Postgres moves the row to that month's partition). */
const moveExchange = (id: string, to: string) => database.db.update(exchanges).set({ receivedAt: new Date(to) }).where(eq(exchanges.id, id));

const names = async (table: "exchanges" | "delivery_attempts") => (await listLogPartitions(database.db, table)).map((p) => p.name);

describe("months ahead", () => {
  test("the month of now and the two after it get a partition; rows the DEFAULT caught move into theirs", async () => {
    const now = new Date("2031-05-20T10:00:00Z");
    // A call logged for June 2031 before June had a partition lands in DEFAULT.
    await callPartner("/pos/ordermake", storeOrder({ dispatchNO: "PART-STRAY" }));
    const [stray] = await exchangesOf(database.db, "PART-STRAY");
    await moveExchange(stray!.id, "2031-06-03T00:00:00Z");
    expect(await partitionOf("exchanges", "id", stray!.id)).toBe("exchanges_default");

    const created = await createLogPartitionsAhead(database.db, now);

    expect(created.sort()).toEqual(
      ["delivery_attempts_2031_05", "delivery_attempts_2031_06", "delivery_attempts_2031_07", "exchanges_2031_05", "exchanges_2031_06", "exchanges_2031_07"],
    );
    expect(await partitionOf("exchanges", "id", stray!.id)).toBe("exchanges_2031_06");
    const june = (await listLogPartitions(database.db, "exchanges")).find((p) => p.name === "exchanges_2031_06");
    expect(june).toMatchObject({ from: new Date("2031-06-01T00:00:00Z"), to: new Date("2031-07-01T00:00:00Z") });
    // Nothing is missing any more; instances starting together do not trip over each other.
    expect(await Promise.all([createLogPartitionsAhead(database.db, now), createLogPartitionsAhead(database.db, now)])).toEqual([[], []]);
    // The new partitions carry the parent's indexes: the call is found by its notice.
    expect((await exchangesOf(database.db, "PART-STRAY")).map((e) => e.id)).toEqual([stray!.id]);
  });
});

describe("retention", () => {
  // Injected clock: 15 January 2027, 180 days kept → everything before 1 July 2026 (UTC) goes, a month at a time.
  const NOW = new Date("2027-01-15T00:00:00Z");

  test("whole months past LOG_RETENTION_DAYS are dropped; the notice, its deliveries, audit and kept months' timeline stay", async () => {
    await createLogPartitionsAhead(database.db, new Date("2026-05-10T00:00:00Z")); // May, June, July 2026
    await createLogPartitionsAhead(database.db, new Date("2026-10-10T00:00:00Z")); // October … December 2026

    const order = shipFromStoreOrder({ dispatchNO: "PART-KEPT" });
    await callPartner("/oms/pushorder", order);
    await callPartner("/pos/refuse", { dispatchNO: order.dispatchNO, reason: "缺货" });
    const [made, refused] = await exchangesOf(database.db, order.dispatchNO);
    await moveExchange(made!.id, "2026-05-10T08:00:00Z"); // expired month
    await moveExchange(refused!.id, "2026-10-10T08:00:00Z"); // kept month
    const [notice] = await database.db.select().from(notices).where(eq(notices.dispatchNo, order.dispatchNO));
    const [delivery, refusal] = await database.db.select().from(deliveries).where(eq(deliveries.noticeId, notice!.id)).orderBy(deliveries.id);
    expect(refusal).toBeDefined();
    const attempt = (attemptNo: number, startedAt: string) => ({
      deliveryId: delivery!.id,
      attemptNo,
      payloadVersion: 1,
      url: "http://127.0.0.1:9/pos/ordermake",
      startedAt: new Date(startedAt),
      durationMs: 3,
      httpStatus: 502,
      outcome: "failed" as const,
      worker: "test",
    });
    const [oldAttempt, keptAttempt, strayOld, strayKept] = await database.db
      .insert(deliveryAttempts)
      .values([
        attempt(1, "2026-05-10T08:00:01Z"),
        attempt(2, "2026-10-10T08:00:01Z"),
        attempt(3, "2026-04-02T00:00:00Z"), // no partition for April: in DEFAULT, expired
        attempt(4, "2026-08-15T00:00:00Z"), // no partition for August: in DEFAULT, kept
      ])
      .returning({ id: deliveryAttempts.id });
    await database.db.insert(deliveryActions).values({
      deliveryId: delivery!.id,
      action: "resolve",
      actor: "ops@hub.local",
      note: "handled by phone",
      stateBefore: "pending",
      stateAfter: "resolved",
      createdAt: new Date("2026-05-11T00:00:00Z"),
    });
    expect(await partitionOf("delivery_attempts", "id", strayOld!.id)).toBe("delivery_attempts_default");

    const dropped = await dropExpiredLogPartitions(database.db, NOW, 180);

    expect(dropped.sort()).toEqual(["delivery_attempts_2026_05", "delivery_attempts_2026_06", "exchanges_2026_05", "exchanges_2026_06"]);
    expect(await names("exchanges")).toContain("exchanges_2026_07");
    expect(await names("exchanges")).toContain("exchanges_2026_10");
    const story = await getNoticeStory(database.db, notice!.id);
    expect(story.notice).toMatchObject({ dispatchNo: order.dispatchNO, status: "refused" });
    // The kept call with the refusal it produced; the delivery whose call was dropped, with its kept attempts and audit.
    const { groups } = await listNoticeTimeline(database.db, noticeTimelineSchema.parse({ id: notice!.id }));
    const told = groups.map(
      (group) =>
        `${group.call ? `call ${group.call.id}` : "call dropped"}: ${group.deliveries.map((d) => `delivery [${d.attempts.map((a) => a.id).join(",")}] [${d.actions.map((a) => a.action).join(",")}]`).join("; ")}`,
    );
    expect(told).toEqual([`call ${refused!.id}: delivery [] []`, `call dropped: delivery [${keptAttempt!.id},${strayKept!.id}] [resolve]`]);
    expect(await partitionOf("delivery_attempts", "id", oldAttempt!.id)).toBeUndefined();
    expect(await partitionOf("delivery_attempts", "id", strayOld!.id)).toBeUndefined();

    // Run again (another instance, the next day): nothing more to drop.
    expect(await dropExpiredLogPartitions(database.db, NOW, 180)).toEqual([]);
  });

  test("a repeat of a call whose logged answer was dropped is applied anew, then replays the new answer", async () => {
    await createLogPartitionsAhead(database.db, new Date("2026-05-10T00:00:00Z"));
    const order = shipFromStoreOrder({ dispatchNO: "PART-FORGOTTEN" });
    await callPartner("/oms/pushorder", order);
    const [first] = await exchangesOf(database.db, order.dispatchNO);
    await moveExchange(first!.id, "2026-05-10T08:00:00Z");
    // The key outlived its exchange (a log retention shorter than the keys' own).
    await dropExpiredLogPartitions(database.db, NOW, 180);
    expect(await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.exchangeId, first!.id))).toHaveLength(1);

    // Two repeats at once: one takes the key over and is applied anew (the notice exists: a duplicate number), the other replays that.
    const refusal = { status: 200, body: { success: false, msg: "发货通知单号重复" } };
    expect(await Promise.all([callPartner("/oms/pushorder", order), callPartner("/oms/pushorder", order)])).toEqual([refusal, refusal]);
    expect(await callPartner("/oms/pushorder", order)).toEqual(refusal);
    expect((await exchangesOf(database.db, order.dispatchNO)).map((e) => e.outcome).sort()).toEqual(["duplicate", "duplicate", "rejected"]);
    const [key] = await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.exchangeId, first!.id));
    expect(key).toBeUndefined();
  });

  test("the daily upkeep does both, with the retention it is given", async () => {
    const result = await maintainLogPartitions(database.db, new Date("2032-03-01T00:00:00Z"), 30);
    expect(result.created.sort()).toEqual(
      ["delivery_attempts", "exchanges"].flatMap((table) => ["2032_03", "2032_04", "2032_05"].map((month) => `${table}_${month}`)),
    );
    // Everything that ended before 1 February 2032 is gone, the current months of the real clock included.
    expect(result.dropped).toContain(partitionName("exchanges", new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1))));
    expect(await names("exchanges")).toEqual(["exchanges_2032_03", "exchanges_2032_04", "exchanges_2032_05"]);
  });
});
