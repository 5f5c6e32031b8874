import { randomInt } from "node:crypto";
import { callHub } from "@/e2e/support/partner-api";
import { checkout, packageShipped, piece, shipFromStoreOrder, SKU_A, SKU_B, storeOrder, transfer, uniqueCode } from "@/test/partner/messages";

export const mobilePhone = () => `139${String(randomInt(0, 1e8)).padStart(8, "0")}`;

/**
 * A store order the OMS fulfils from two warehouses: 2 × A from 上海仓 in one
 * parcel, 1 × B from 广州仓 in another, each transfer reported on its own.
 */
export async function splitStoreOrder(overrides: Record<string, unknown> = {}) {
  const order = storeOrder({ phone: mobilePhone(), ...overrides });
  const shanghai = {
    ...transfer(uniqueCode("TR"), "WH-SH", [{ waybillCode: uniqueCode("SF"), express: "SF", items: [piece(SKU_A), piece(SKU_A)] }]),
    shipName: "上海仓",
  };
  const guangzhou = {
    ...transfer(uniqueCode("TR"), "WH-GZ", [{ waybillCode: uniqueCode("YT"), express: "YTO", items: [piece(SKU_B)] }]),
    shipName: "广州仓",
  };
  await callHub("/pos/ordermake", order);
  await callHub("/oms/delivery/package", packageShipped(order.dispatchNO, shanghai));
  await callHub("/oms/delivery/package", packageShipped(order.dispatchNO, guangzhou));
  return { order, transfers: [shanghai, guangzhou] as const };
}

/**
 * A ship-from-store order the store checked out: the OMS pushes `items` to
 * store S002, the store's checkout sends one parcel with a serial per piece
 * and, as the seed's 门店出库回传 does, no SKU.
 */
export async function shipFromStoreCheckout(items: { product: string; color: string; size: string; qty: number }[]) {
  const order = shipFromStoreOrder({ phone: mobilePhone(), items });
  const serials = items.flatMap((item) => Array.from({ length: item.qty }, () => uniqueCode("SN")));
  await callHub("/oms/pushorder", order);
  await callHub("/pos/checkout", checkout(order.dispatchNO, [{ waybillCode: uniqueCode("ZT"), sns: serials }]));
  return { order, serials };
}
