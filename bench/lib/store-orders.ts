import { createRng } from "@/scripts/lib/random";
import { storeOrder } from "@/scripts/lib/traffic";

/** Endless realistic `pos/ordermake` bodies, each with its own dispatchNO (the stream keeps runs apart). */
export function storeOrderBodies(stream: number) {
  const rng = createRng(20_260_501, stream);
  return () => {
    const order = storeOrder(rng);
    return { dispatchNo: order.dispatchNO, body: JSON.stringify(order) };
  };
}
