import { expect } from "vitest";
import { callPartner } from "@/test/partner-client";

// Real partner calls for the dashboard tests: the rows they leave are the ones
// production leaves. Used by tests only.

const address = { province: "上海市", city: "上海市", county: "浦东新区", address: "世纪大道 100 号" };

export const storeOrder = {
  shopCode: "S001",
  dispatchNO: "DN-1001",
  purchaseCode: "PC-1001",
  memberCode: "M-1001",
  receiver: "张三",
  phone: "13812341234",
  ...address,
  items: [
    { product: "P100", color: "01", size: "M", qty: 2 },
    { product: "P200", color: "02", size: "L", qty: 1 },
  ],
};

export const shipFromStore = {
  shopCode: "S002",
  dispatchNO: "DN-2001",
  purchaseNumber: "PN-2001",
  receiver: "李四",
  phone: "13998765678",
  ...address,
  express: "ZTO",
  items: [{ product: "P300", color: "03", size: "S", qty: 1 }],
};

async function ok(path: string, body: unknown) {
  const answer = await callPartner(path, body);
  expect(answer.body, `${path} answered`).toEqual({ success: true });
}

/** A split store order with one shipped package whose waybill was changed, and a checked-out ship-from-store notice. */
export async function seedSampleNotices() {
  await ok("/pos/ordermake", storeOrder);
  await ok("/oms/delivery/package", {
    dispatchNO: storeOrder.dispatchNO,
    transferCode: "TR-1001",
    shipCode: "WH-SH",
    shipName: "上海仓",
    packages: [
      {
        express: "SF",
        waybillCode: "SF-OLD-1001",
        items: [
          { product: "P100", color: "01", size: "M", sn: "SN-1001" },
          { product: "P100", color: "01", size: "M", sn: "SN-1002" },
        ],
      },
    ],
  });
  await ok("/oms/delivery/waybillchange", { targetbillCode: "SF-OLD-1001", express: "YTO", waybillCode: "YT-NEW-1001" });
  await ok("/oms/pushorder", shipFromStore);
  await ok("/pos/checkout", {
    dispatchNO: shipFromStore.dispatchNO,
    packages: [{ express: "ZTO", waybillCode: "ZT-2001", sns: ["SN-2001"] }],
  });
}
