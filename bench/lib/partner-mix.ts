import { createRng } from "@/scripts/lib/random";
import {
  packageShipped,
  pushOrder,
  storeCheckout,
  storeOrder,
  storeReturn,
  storeWaybillChange,
  warehouseReturn,
  warehouseTransfers,
  warehouseWaybillChange,
} from "@/scripts/lib/traffic";

export type MixCall = { path: string; body: string };

/**
 * Endless stories of one notice each, alternating the two flows, so a run
 * covers every write path of the partner API but the voids and the refusal:
 * a store order (ordermake, one package per transfer, a warehouse return, a
 * warehouse waybill change) then a ship-from-store notice (pushorder,
 * checkout, a store return, a store waybill change). Each story's calls must
 * run in order; stories are independent.
 */
export function partnerMixStories(stream: number): () => MixCall[] {
  const rng = createRng(20_261_201, stream);
  let storeOrderNext = true;
  return () => {
    storeOrderNext = !storeOrderNext;
    if (!storeOrderNext) {
      const order = storeOrder(rng);
      const transfers = warehouseTransfers(rng, order);
      return [
        { path: "/pos/ordermake", body: JSON.stringify(order) },
        ...transfers.map((transfer) => ({ path: "/oms/delivery/package", body: JSON.stringify(packageShipped(order, transfer)) })),
        { path: "/oms/receive", body: JSON.stringify(warehouseReturn(rng, order, transfers[0]!)) },
        { path: "/oms/delivery/waybillchange", body: JSON.stringify(warehouseWaybillChange(rng, transfers)) },
      ];
    }
    const order = pushOrder(rng);
    const { checkout, pieces } = storeCheckout(rng, order);
    return [
      { path: "/oms/pushorder", body: JSON.stringify(order) },
      { path: "/pos/checkout", body: JSON.stringify(checkout) },
      { path: "/pos/refund", body: JSON.stringify(storeReturn(rng, order, pieces[0]!)) },
      { path: "/pos/delivery/waybillchange", body: JSON.stringify(storeWaybillChange(rng, checkout)) },
    ];
  };
}
