import { expect, it } from "vitest";
import { InFlightSlots } from "@/server/partner/in-flight";

it("gives each key its own slots up to the cap, and frees a slot once, on release", () => {
  const slots = new InFlightSlots(() => 2);
  const a1 = slots.tryAcquire("A")!;
  const a2 = slots.tryAcquire("A")!;
  expect(slots.tryAcquire("A")).toBeNull();
  expect(slots.tryAcquire("B")).not.toBeNull();
  a1();
  a1();
  expect(slots.count("A")).toBe(1);
  expect(slots.tryAcquire("A")).not.toBeNull();
  expect(slots.tryAcquire("A")).toBeNull();
  a2();
  expect(slots.count("A")).toBe(1);
});
