import { describe, expect, it } from "vitest";
import { type Firing } from "@/server/alerts/alert-rules";
import { ruleSettings } from "@/server/alerts/rule-settings";
import { reconcileConditions, type OpenCondition } from "@/server/alerts/reconcile-conditions";

const t0 = new Date("2026-11-30T06:00:00.000Z");
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const settings = ruleSettings([]); // timed out / rejected / backlog on, reminders every 60 min
const details = { title: "t", facts: [], linkPath: "/problems/7" };
const firing = (over: Partial<Firing> = {}): Firing => ({ rule: "delivery_timed_out", subject: "problem:7", problemId: 7, details, remind: true, ...over });
const condition = (over: Partial<OpenCondition> = {}): OpenCondition => ({
  id: 1,
  rule: "delivery_timed_out",
  subject: "problem:7",
  openedAt: t0,
  lastRemindedAt: null,
  details,
  ...over,
});

describe("one opened, reminders, one resolved", () => {
  it("opens a condition the first time a rule fires, and only then", () => {
    expect(reconcileConditions({ open: [], firing: [firing()], silenced: [], settings, now: t0 }).open).toHaveLength(1);
    const again = reconcileConditions({ open: [condition()], firing: [firing()], silenced: [], settings, now: later(1) });
    expect(again.open).toEqual([]);
    expect(again.keep).toEqual([{ condition: condition(), details, remind: false }]);
  });

  it("reminds once the interval has passed since the opening or the last reminder", () => {
    const at = (minutes: number, lastRemindedAt: Date | null = null) =>
      reconcileConditions({ open: [condition({ lastRemindedAt })], firing: [firing()], silenced: [], settings, now: later(minutes) }).keep[0]!.remind;
    expect(at(59)).toBe(false);
    expect(at(60)).toBe(true);
    expect(at(100, later(60))).toBe(false);
    expect(at(120, later(60))).toBe(true);
  });

  it("does not remind about an acknowledged problem, nor when reminders are off", () => {
    expect(reconcileConditions({ open: [condition()], firing: [firing({ remind: false })], silenced: [], settings, now: later(600) }).keep[0]!.remind).toBe(false);
    const noReminders = ruleSettings([{ rule: "delivery_timed_out", enabled: true, params: { reminderMinutes: 0 } }]);
    expect(reconcileConditions({ open: [condition()], firing: [firing()], silenced: [], settings: noReminders, now: later(600) }).keep[0]!.remind).toBe(false);
  });

  it("resolves a condition that stopped firing", () => {
    const plan = reconcileConditions({ open: [condition()], firing: [], silenced: [], settings, now: later(5) });
    expect(plan.resolve).toEqual([condition()]);
    expect(plan.closeSilently).toEqual([]);
  });

  it("closes without a message when the problem was muted or the rule switched off", () => {
    const muted = reconcileConditions({ open: [condition()], firing: [], silenced: [{ rule: "delivery_timed_out", subject: "problem:7" }], settings, now: later(5) });
    expect(muted.closeSilently).toEqual([condition()]);
    expect(muted.resolve).toEqual([]);
    const off = ruleSettings([{ rule: "delivery_timed_out", enabled: false, params: {} }]);
    expect(reconcileConditions({ open: [condition()], firing: [], silenced: [], settings: off, now: later(5) }).closeSilently).toEqual([condition()]);
  });
});
