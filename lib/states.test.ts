import { expect, test } from "vitest";
import { en } from "@/lib/i18n/en";
import { zh } from "@/lib/i18n/zh-cn";
import {
  alertSendKinds,
  alertSendStates,
  anomalyKinds,
  attemptOutcomes,
  closedDeliveryStates,
  deliveryStates,
  deliveryStatesAwaitingAPerson,
  exchangeOutcomes,
  noticeStatuses,
  openDeliveryStates,
  problemStates,
  roles,
} from "@/lib/states";
import { deliveryQueues, queueOf } from "@/lib/delivery-queues";

// A value added to a list in lib/states.ts reaches the enum, the filters and the
// menus by itself; what it cannot bring is its words. Each list's label keys, in
// both languages, so a new state is never shown as its raw name.
const labelled: [string, readonly string[]][] = [
  ["status", noticeStatuses],
  ["anomaly", anomalyKinds],
  ["exchangeOutcome", exchangeOutcomes],
  ["outcome", attemptOutcomes],
  ["queue", deliveryQueues],
  ["problemState", problemStates],
  ["alerts.sendState", alertSendStates],
  ["alerts.sendKind", alertSendKinds],
  ["role", roles],
];

test.each(labelled)("every %s has its label in Chinese and English", (prefix, values) => {
  const keys = values.map((value) => `${prefix}.${value}`);
  expect(keys.filter((key) => !(key in zh))).toEqual([]);
  expect(keys.filter((key) => !(key in en))).toEqual([]);
});

test("every delivery state is open or closed, never both; the ones waiting for a person are open", () => {
  expect([...openDeliveryStates, ...closedDeliveryStates].sort()).toEqual([...deliveryStates].sort());
  expect(deliveryStatesAwaitingAPerson.every((state) => (openDeliveryStates as readonly string[]).includes(state))).toBe(true);
});

test("every delivery state is shown as a queue of the deliveries page (and so has its label); every closed one is its own", () => {
  expect(deliveryStates.filter((state) => !(deliveryQueues as readonly string[]).includes(queueOf({ state })))).toEqual([]);
  expect(closedDeliveryStates.filter((state) => queueOf({ state }) !== state)).toEqual([]);
});
