import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { CallAdmission } from "@/server/partner/admission";

beforeEach(() => {
  // Only the wait limit's timers: admission goes on through setImmediate.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});
afterEach(() => {
  vi.useRealTimers();
});

test("calls past the concurrent ones wait in arrival order and go on as slots free", async () => {
  const admission = new CallAdmission(() => ({ concurrent: 2, inFlight: 10, waitMs: 1000 }));
  const first = await admission.enter();
  const second = await admission.enter();
  const order: string[] = [];
  const third = admission.enter().then((release) => (order.push("third"), release));
  const fourth = admission.enter().then((release) => (order.push("fourth"), release));
  expect(admission.load).toEqual({ running: 2, waiting: 2 });

  first!();
  first!(); // a second release of the same slot frees nothing more
  expect(await third).toBeTypeOf("function");
  expect(admission.load).toEqual({ running: 2, waiting: 1 });
  second!();
  expect(await fourth).toBeTypeOf("function");
  expect(order).toEqual(["third", "fourth"]);
});

test("a call that finds the instance at its cap of calls in flight is turned away at once", async () => {
  const admission = new CallAdmission(() => ({ concurrent: 1, inFlight: 2, waitMs: 1000 }));
  await admission.enter();
  const waiting = admission.enter();
  expect(await admission.enter()).toBeNull();
  expect(admission.load).toEqual({ running: 1, waiting: 1 });
  void waiting;
});

test("a call that waited waitMs without a slot is turned away; the queue behind it moves up", async () => {
  const admission = new CallAdmission(() => ({ concurrent: 1, inFlight: 10, waitMs: 1000 }));
  const running = await admission.enter();
  const late = admission.enter();
  await vi.advanceTimersByTimeAsync(600);
  const later = admission.enter();
  await vi.advanceTimersByTimeAsync(400);
  expect(await late).toBeNull();
  expect(admission.load).toEqual({ running: 1, waiting: 1 });
  running!();
  expect(await later).toBeTypeOf("function");
  expect(admission.load).toEqual({ running: 1, waiting: 0 });
});
