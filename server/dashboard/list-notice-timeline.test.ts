import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { deliveries } from "@/db/schema/deliveries";
import { notices } from "@/db/schema/notices";
import { listNoticeTimeline, noticeTimelineSchema, TIMELINE_PAGE_SIZE, type NoticeTimelineQuery } from "@/server/dashboard/list-notice-timeline";
import { seedSampleNotices } from "@/test/sample-notices";
import { resolveDeliveries } from "@/server/delivery/manual-actions";
import { useTestDatabase } from "@/test/database";
import { callPartner } from "@/test/partner-client";
import { storeOrder } from "@/test/partner/messages";

const database = useTestDatabase();
let noticeId: number;

const timeline = (query: Omit<NoticeTimelineQuery, "id"> = {}) => listNoticeTimeline(database.db, noticeTimelineSchema.parse({ id: noticeId, ...query }));

beforeAll(async () => {
  await seedSampleNotices();
  const [notice] = await database.db.select({ id: notices.id }).from(notices).where(eq(notices.dispatchNo, "DN-1001"));
  noticeId = notice!.id;
});

describe("listNoticeTimeline", () => {
  it("groups each call with the delivery it produced and the actions on it, newest call first", async () => {
    const [storeOrder] = await database.db.select().from(deliveries).where(eq(deliveries.path, "/pos/ordermake"));
    await resolveDeliveries(database.db, { selection: { ids: [storeOrder!.id] }, actor: "ops@hub.local", note: "OMS 已手工录入" });

    const { groups, nextCursor } = await timeline();
    expect(nextCursor).toBeNull();
    expect(groups.map((group) => [group.call?.path, group.deliveries.map(({ delivery }) => `${delivery.target} ${delivery.path} ${delivery.state}`)])).toEqual([
      ["/oms/delivery/waybillchange", ["pos /oms/delivery/waybillchange pending"]],
      ["/oms/delivery/package", ["pos /oms/delivery/package pending"]],
      ["/pos/ordermake", ["oms /pos/ordermake resolved"]],
    ]);
    expect(groups[2]!.call!.responseBody).toBe('{"success":true}');
    expect(groups[2]!.deliveries[0]!.actions).toMatchObject([{ action: "resolve", actor: "ops@hub.local", note: "OMS 已手工录入", stateAfter: "resolved" }]);
    const times = groups.map((group) => group.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("pages by (time, id): each page continues where the last stopped, none repeated or skipped", async () => {
    const first = await timeline({ limit: 2 });
    expect(first.groups.map((group) => group.call?.path)).toEqual(["/oms/delivery/waybillchange", "/oms/delivery/package"]);
    const second = await timeline({ limit: 2, cursor: first.nextCursor });
    expect(second.groups.map((group) => group.call?.path)).toEqual(["/pos/ordermake"]);
    expect(second.nextCursor).toBeNull();
  });

  it("only problems: the groups whose delivery failed, nothing that is merely waiting", async () => {
    expect((await timeline({ onlyProblems: true })).groups).toEqual([]);
    await database.db.update(deliveries).set({ state: "timed_out", attempts: 3 }).where(eq(deliveries.path, "/oms/delivery/package"));
    const { groups } = await timeline({ onlyProblems: true });
    expect(groups.map((group) => [group.call?.path, group.hasProblem])).toEqual([["/oms/delivery/package", true]]);
    expect((await timeline()).groups.map((group) => group.hasProblem)).toEqual([false, true, false]);
  });

  it("says which earlier delivery holds a later one back", async () => {
    const [shipFromStore] = await database.db.select({ id: notices.id }).from(notices).where(eq(notices.dispatchNo, "DN-2001"));
    const { groups } = await listNoticeTimeline(database.db, noticeTimelineSchema.parse({ id: shipFromStore!.id }));
    const [checkout, pushorder] = groups.map((group) => group.deliveries[0]!.delivery);
    expect([pushorder!.path, pushorder!.blockedBy]).toEqual(["/oms/pushorder", null]);
    expect([checkout!.path, checkout!.blockedBy]).toEqual(["/pos/checkout", pushorder!.id]);
  });

  it("a notice with 10 000 calls opens with one small page, the next continuing from it", async () => {
    const bulk = storeOrder({ dispatchNO: "DN-BULK" });
    await callPartner("/pos/ordermake", bulk);
    const [notice] = await database.db.select({ id: notices.id }).from(notices).where(eq(notices.dispatchNo, "DN-BULK"));
    await database.db.execute(sql`
      insert into exchanges (id, received_at, side, path, headers, request_body, response_status, response_body, duration_ms, outcome, dispatch_no, notice_id)
      select gen_random_uuid(), now() - make_interval(secs => n), 'oms', '/oms/delivery/waybillchange', '{}'::jsonb, '{}', 200, '{"success":true}'::jsonb, 3, 'accepted', 'DN-BULK', ${notice!.id}
      from generate_series(1, 10000) as n`);

    const first = await listNoticeTimeline(database.db, noticeTimelineSchema.parse({ id: notice!.id }));
    expect(first.groups).toHaveLength(TIMELINE_PAGE_SIZE);
    expect(first.groups[0]!.call!.path).toBe("/pos/ordermake");
    expect(JSON.stringify(first).length, "bytes of the first page").toBeLessThan(64 * 1024);
    const second = await listNoticeTimeline(database.db, noticeTimelineSchema.parse({ id: notice!.id, cursor: first.nextCursor }));
    expect(second.groups).toHaveLength(TIMELINE_PAGE_SIZE);
    const firstIds = new Set(first.groups.map((group) => group.key));
    expect(second.groups.filter((group) => firstIds.has(group.key))).toEqual([]);
    expect(second.groups[0]!.at.getTime()).toBeLessThanOrEqual(first.groups.at(-1)!.at.getTime());
  });

  it("an unknown notice is not found", async () => {
    await expect(listNoticeTimeline(database.db, noticeTimelineSchema.parse({ id: 999_999 }))).rejects.toThrow(/999999/);
  });
});
