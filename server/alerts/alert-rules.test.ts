import { describe, expect, it } from "vitest";
import { evaluateRules, silenceCounts, type AlertFacts, type ProblemFact } from "@/server/alerts/alert-rules";
import { ruleSettings } from "@/server/alerts/rule-settings";

// 2026-11-30 14:00 in Asia/Shanghai.
const now = new Date("2026-11-30T06:00:00.000Z");
const minutesAgo = (n: number) => new Date(now.getTime() - n * 60_000);

const quiet: AlertFacts = {
  now,
  problems: [],
  backlog: [],
  inbound: [],
  lastCalls: [
    { side: "pos", at: minutesAgo(1) },
    { side: "oms", at: minutesAgo(1) },
  ],
  overdueShipFromStore: { count: 0, shops: 0, oldestCreatedAt: null, examples: [] },
  openAnomalies: [],
};

const problem = (over: Partial<ProblemFact>): ProblemFact => ({
  id: 7,
  side: "oms",
  path: "/pos/ordermake",
  failureKind: "timeout",
  msg: "",
  state: "open",
  openCount: 26,
  totalCount: 26,
  firstSeenAt: minutesAgo(3),
  lastSeenAt: minutesAgo(1),
  exampleError: "no answer within 10000 ms",
  ...over,
});

const allOn = ruleSettings(
  ["delivery_timed_out", "delivery_rejected", "backlog_age", "inbound_refusals", "silence", "ship_from_store_overdue", "new_anomalies"].map((rule) => ({
    rule,
    enabled: true,
    params: {},
  })),
);

describe("rule settings", () => {
  it("runs timed out, rejected and backlog age by default, the others when switched on", () => {
    const defaults = ruleSettings([]);
    expect(Object.values(defaults).filter((setting) => setting.enabled).map((setting) => setting.rule)).toEqual([
      "delivery_timed_out",
      "delivery_rejected",
      "backlog_age",
    ]);
    expect(defaults.backlog_age.params).toEqual({ minutes: 30, reminderMinutes: 60 });
  });

  it("falls back to the defaults when a stored row no longer parses", () => {
    const settings = ruleSettings([{ rule: "backlog_age", enabled: false, params: { minutes: "lots" } }]);
    expect(settings.backlog_age).toEqual({ rule: "backlog_age", enabled: false, params: { minutes: 30, reminderMinutes: 60 } });
  });
});

describe("evaluating the rules", () => {
  it("finds nothing when all is well", () => {
    expect(evaluateRules(quiet, allOn)).toEqual({ firing: [], silenced: [] });
  });

  it("fires an open timeout problem with its counts, example and link; a rejection under its own rule", () => {
    const { firing } = evaluateRules({ ...quiet, problems: [problem({}), problem({ id: 8, failureKind: "rejected", msg: "通知单不存在" })] }, allOn);
    expect(firing.map((item) => [item.rule, item.subject, item.remind])).toEqual([
      ["delivery_timed_out", "problem:7", true],
      ["delivery_rejected", "problem:8", true],
    ]);
    expect(firing[0]!.details).toMatchObject({ linkPath: "/problems/7", example: "no answer within 10000 ms" });
    expect(firing[0]!.details.facts).toContainEqual(["未处理投递", "26 条"]);
    expect(firing[1]!.details.title).toContain("对方拒绝：通知单不存在");
  });

  it("keeps an acknowledged problem firing without reminders, silences a muted one, skips a switched-off rule", () => {
    const facts = { ...quiet, problems: [problem({ state: "acknowledged" }), problem({ id: 9, state: "muted" })] };
    const { firing, silenced } = evaluateRules(facts, allOn);
    expect(firing).toHaveLength(1);
    expect(firing[0]).toMatchObject({ subject: "problem:7", remind: false });
    expect(silenced).toEqual([{ rule: "delivery_timed_out", subject: "problem:9" }]);
    const off = ruleSettings([{ rule: "delivery_timed_out", enabled: false, params: {} }]);
    expect(evaluateRules({ ...quiet, problems: [problem({})] }, off).firing).toEqual([]);
  });

  it("backlog age: fires past N minutes only", () => {
    const settings = ruleSettings([{ rule: "backlog_age", enabled: true, params: { minutes: 10 } }]);
    const at = (age: number) => evaluateRules({ ...quiet, backlog: [{ side: "oms", count: 40, oldestCreatedAt: minutesAgo(age) }] }, settings).firing;
    expect(at(10)).toEqual([]);
    expect(at(11).map((item) => item.subject)).toEqual(["side:oms"]);
    expect(at(11)[0]!.details.facts).toContainEqual(["未送达", "40 条"]);
  });

  it("inbound refusals: fires above X % of at least minCalls calls", () => {
    const settings = ruleSettings([{ rule: "inbound_refusals", enabled: true, params: { percent: 20, minCalls: 10 } }]);
    const fire = (total: number, refused: number) => evaluateRules({ ...quiet, inbound: [{ side: "pos", total, refused }] }, settings).firing;
    expect(fire(10, 2)).toEqual([]); // exactly 20 %: not above
    expect(fire(10, 3).map((item) => item.subject)).toEqual(["side:pos"]);
    expect(fire(9, 9)).toEqual([]); // too few calls to mean anything
  });

  it("silence: only inside business hours, and only once N minutes of them have passed", () => {
    const params = { minutes: 30, from: "09:00", to: "21:00" };
    expect(silenceCounts(new Date("2026-11-30T01:29:00Z"), params)).toBe(false); // 09:29 Shanghai
    expect(silenceCounts(new Date("2026-11-30T01:30:00Z"), params)).toBe(true); // 09:30
    expect(silenceCounts(new Date("2026-11-30T13:00:00Z"), params)).toBe(false); // 21:00
    expect(silenceCounts(new Date("2026-11-29T18:00:00Z"), params)).toBe(false); // 02:00

    const settings = ruleSettings([{ rule: "silence", enabled: true, params }]);
    const facts: AlertFacts = { ...quiet, lastCalls: [{ side: "pos", at: minutesAgo(31) }, { side: "oms", at: null }] };
    expect(evaluateRules(facts, settings).firing.map((item) => item.subject)).toEqual(["side:pos", "side:oms"]);
    expect(evaluateRules({ ...facts, now: new Date("2026-11-30T14:00:00Z") }, settings).firing).toEqual([]); // 22:00 Shanghai
  });

  it("ship-from-store past 24 h and new anomalies", () => {
    const facts: AlertFacts = {
      ...quiet,
      overdueShipFromStore: { count: 3, shops: 2, oldestCreatedAt: minutesAgo(60 * 30), examples: ["DN-1", "DN-2", "DN-3"] },
      openAnomalies: [{ kind: "duplicate_serial", count: 2, latestAt: minutesAgo(2), exampleDispatchNo: "DN-9", exampleDetail: "件码 SN1 已出库" }],
    };
    const { firing } = evaluateRules(facts, allOn);
    expect(firing.map((item) => [item.rule, item.subject])).toEqual([
      ["ship_from_store_overdue", "all"],
      ["new_anomalies", "kind:duplicate_serial"],
    ]);
    expect(firing[0]!.details.title).toBe("3 张门店发货通知单超过 24 小时未出库");
    expect(firing[1]!.details.title).toBe("出现异常：件码重复");
    expect(evaluateRules(facts, ruleSettings([])).firing).toEqual([]); // both off by default
  });
});
