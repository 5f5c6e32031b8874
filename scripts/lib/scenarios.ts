import type { CallOptions, HubClient } from "@/scripts/lib/hub-client";
import type { Rng } from "@/scripts/lib/random";
import * as traffic from "@/scripts/lib/traffic";

// Business stories the POS and OMS play against the hub, each call with the
// answer the contract (SPEC §4) promises. A scenario ends at the first answer
// it did not expect (the client throws UnexpectedAnswer).

export type Scenario = (hub: HubClient, rng: Rng) => Promise<void>;

const ACCEPTED: CallOptions = { expect: "accepted" };
// A void is answered by whoever knows whether goods left; a counterpart may say no.
const VOID_ANSWERED: CallOptions = { expect: ["accepted", "refused"] };
const VOIDED: CallOptions = { expect: "refused" };

const think = (hub: HubClient, rng: Rng) => hub.pause(rng.int(300, 3000));

async function placeStoreOrder(hub: HubClient, rng: Rng) {
  const order = traffic.storeOrder(rng);
  await hub.call("/pos/ordermake", order, ACCEPTED);
  return order;
}

/** OMS ships the order from its warehouses, one message per transfer, then the final notice listing all of them. */
async function shipFromWarehouses(hub: HubClient, rng: Rng, order: traffic.StoreOrder) {
  const transfers = traffic.warehouseTransfers(rng, order);
  for (const transfer of transfers) {
    await think(hub, rng);
    const message = traffic.packageShipped(order, transfer);
    await hub.call("/oms/delivery/package", message, ACCEPTED);
    // Partners repeat calls whose answer they missed: same answer, nothing changes.
    if (rng.chance(0.1)) await hub.call("/oms/delivery/package", message, ACCEPTED);
  }
  await think(hub, rng);
  await hub.call("/oms/delivery/notice", traffic.noticeShipped(order, transfers), ACCEPTED);
  return transfers;
}

async function pushToStore(hub: HubClient, rng: Rng) {
  const order = traffic.pushOrder(rng);
  await hub.call("/oms/pushorder", order, ACCEPTED);
  return order;
}

async function checkOut(hub: HubClient, rng: Rng, order: traffic.PushOrder) {
  await think(hub, rng);
  const shipped = traffic.storeCheckout(rng, order, rng.chance(0.15));
  await hub.call("/pos/checkout", shipped.checkout, ACCEPTED);
  return shipped;
}

export const storeOrderShipped: Scenario = async (hub, rng) => {
  await shipFromWarehouses(hub, rng, await placeStoreOrder(hub, rng));
};

/** No warehouse has stock: the final notice lists no transfers; the store usually voids it. */
export const storeOrderOversold: Scenario = async (hub, rng) => {
  const order = await placeStoreOrder(hub, rng);
  await think(hub, rng);
  await hub.call("/oms/delivery/notice", traffic.noticeShipped(order, []), ACCEPTED);
  if (rng.chance(0.5)) await hub.call("/pos/orderremove", traffic.storeVoid(order), VOID_ANSWERED);
};

/** The customer changes their mind before anything shipped; sometimes a warehouse ships anyway. */
export const storeOrderVoided: Scenario = async (hub, rng) => {
  const order = await placeStoreOrder(hub, rng);
  await think(hub, rng);
  const voided = await hub.call("/pos/orderremove", traffic.storeVoid(order), VOID_ANSWERED);
  if (voided.outcome === "accepted" && rng.chance(0.3)) {
    const [late] = traffic.warehouseTransfers(rng, order);
    if (late) await hub.call("/oms/delivery/package", traffic.packageShipped(order, late), VOIDED);
  }
};

export const shipFromStore: Scenario = async (hub, rng) => {
  await checkOut(hub, rng, await pushToStore(hub, rng));
};

/** The store cannot fulfil: it gives the notice back, and the OMS voids it. */
export const storeRefusal: Scenario = async (hub, rng) => {
  const order = await pushToStore(hub, rng);
  await think(hub, rng);
  await hub.call("/pos/refuse", traffic.storeRefusal(rng, order), ACCEPTED);
  await think(hub, rng);
  await hub.call("/oms/orderremove", traffic.omsVoid(order), VOID_ANSWERED);
};

/** The OMS cancels an online order before the store shipped; a slow store may still try to check out. */
export const shipFromStoreVoided: Scenario = async (hub, rng) => {
  const order = await pushToStore(hub, rng);
  await think(hub, rng);
  const voided = await hub.call("/oms/orderremove", traffic.omsVoid(order), VOID_ANSWERED);
  if (voided.outcome === "accepted" && rng.chance(0.3)) {
    await hub.call("/pos/checkout", traffic.storeCheckout(rng, order).checkout, VOIDED);
  }
};

export const warehouseReturn: Scenario = async (hub, rng) => {
  const order = await placeStoreOrder(hub, rng);
  const transfers = await shipFromWarehouses(hub, rng, order);
  await think(hub, rng);
  await hub.call("/oms/receive", traffic.warehouseReturn(rng, order, rng.pick(transfers)), ACCEPTED);
};

export const storeReturn: Scenario = async (hub, rng) => {
  const order = await pushToStore(hub, rng);
  const { pieces } = await checkOut(hub, rng, order);
  await think(hub, rng);
  await hub.call("/pos/refund", traffic.storeReturn(rng, order, rng.pick(pieces)), ACCEPTED);
};

export const warehouseWaybillChange: Scenario = async (hub, rng) => {
  const transfers = await shipFromWarehouses(hub, rng, await placeStoreOrder(hub, rng));
  await think(hub, rng);
  await hub.call("/oms/delivery/waybillchange", traffic.warehouseWaybillChange(rng, transfers), ACCEPTED);
};

export const storeWaybillChange: Scenario = async (hub, rng) => {
  const { checkout } = await checkOut(hub, rng, await pushToStore(hub, rng));
  await think(hub, rng);
  await hub.call("/pos/delivery/waybillchange", traffic.storeWaybillChange(rng, checkout), ACCEPTED);
};

type BadCall = { path: string; body?: unknown; rawBody?: string };

/** The mistakes a partner's developer makes; each must get a 400 naming the problem. */
function badCalls(rng: Rng): BadCall[] {
  const order = traffic.storeOrder(rng);
  const push = traffic.pushOrder(rng);
  const { checkout } = traffic.storeCheckout(rng, push);
  const { receiver: _receiver, ...withoutReceiver } = push;
  const { dispatchNO: _dispatchNO, ...noticeWithoutNumber } = traffic.noticeShipped(order, []);
  return [
    { path: "/pos/ordermake", rawBody: `${JSON.stringify(order).slice(0, -1)},}` },
    { path: "/pos/ordermake", body: { ...order, items: order.items.map((item) => ({ ...item, qty: 0 })) } },
    { path: "/oms/pushorder", body: withoutReceiver },
    { path: "/pos/checkout", body: { ...checkout, packages: [] } },
    { path: "/oms/delivery/notice", body: noticeWithoutNumber },
    { path: "/pos/refund", body: { shopCode: push.shopCode } },
    { path: "/pos/orderremove", rawBody: "dispatchNO=" + order.dispatchNO },
  ];
}

export const badCall: Scenario = async (hub, rng) => {
  const call = rng.pick(badCalls(rng));
  await hub.call(call.path, call.body, { expect: "invalid", ...(call.rawBody === undefined ? {} : { rawBody: call.rawBody }) });
};

/** The simulator's mix: mostly plain orders, a few of everything else. */
export const SCENARIOS = [
  { name: "store-order", weight: 30, run: storeOrderShipped },
  { name: "ship-from-store", weight: 20, run: shipFromStore },
  { name: "oversold", weight: 5, run: storeOrderOversold },
  { name: "store-void", weight: 8, run: storeOrderVoided },
  { name: "store-refusal", weight: 6, run: storeRefusal },
  { name: "oms-void", weight: 4, run: shipFromStoreVoided },
  { name: "warehouse-return", weight: 6, run: warehouseReturn },
  { name: "store-return", weight: 6, run: storeReturn },
  { name: "warehouse-waybill", weight: 5, run: warehouseWaybillChange },
  { name: "store-waybill", weight: 5, run: storeWaybillChange },
  { name: "bad-call", weight: 3, run: badCall },
] as const satisfies readonly { name: string; weight: number; run: Scenario }[];

export type ScenarioName = (typeof SCENARIOS)[number]["name"];

export function pickScenario(rng: Rng): (typeof SCENARIOS)[number] {
  const total = SCENARIOS.reduce((sum, scenario) => sum + scenario.weight, 0);
  let ticket = rng.next() * total;
  for (const scenario of SCENARIOS) {
    ticket -= scenario.weight;
    if (ticket < 0) return scenario;
  }
  return SCENARIOS[0];
}
