import { randomBytes } from "node:crypto";

// Realistic partner bodies, as the seed's examples read once their typos are
// fixed. Every builder takes a fresh dispatchNO so tests never collide.

let sequence = 0;

/** A code no other call in this run has used (dispatchNO, waybill, serial …). */
export function uniqueCode(prefix: string): string {
  sequence += 1;
  return `${prefix}${sequence.toString().padStart(4, "0")}${randomBytes(3).toString("hex").toUpperCase()}`;
}

export type Sku = { product: string; color: string; size: string };

export const SKU_A: Sku = { product: "G1001", color: "C01", size: "M" };
export const SKU_B: Sku = { product: "G1002", color: "C02", size: "L" };
export const SKU_C: Sku = { product: "G1003", color: "C03", size: "XL" };

export const line = (sku: Sku, qty: number) => ({ ...sku, qty });
export const piece = (sku: Sku, sn = uniqueCode("SN")) => ({ ...sku, sn });

type Body = Record<string, unknown>;

const customer = {
  receiver: "张三",
  phone: "138-0000-1234",
  province: "浙江省",
  city: "杭州市",
  county: "西湖区",
  address: "文三路 100 号 3 单元 501",
};

/** `pos/ordermake`: 2 × A and 1 × B unless told otherwise. */
export const storeOrder = (overrides: Body = {}) => ({
  shopCode: "S001",
  dispatchNO: uniqueCode("DN"),
  purchaseCode: uniqueCode("PC"),
  memberCode: "M000123",
  ...customer,
  items: [line(SKU_A, 2), line(SKU_B, 1)],
  ...overrides,
});

/** `oms/pushorder`: 1 × A and 1 × B to store S002 unless told otherwise. */
export const shipFromStoreOrder = (overrides: Body = {}) => ({
  shopCode: "S002",
  dispatchNO: uniqueCode("EC"),
  purchaseNumber: uniqueCode("PN"),
  ...customer,
  express: "SF",
  items: [line(SKU_A, 1), line(SKU_B, 1)],
  ...overrides,
});

type WarehousePackage = { waybillCode: string; items: ReturnType<typeof piece>[]; express?: string };

/** One warehouse's part of a store order. */
export const transfer = (transferCode: string, shipCode: string, packages: WarehousePackage[]) => ({
  transferCode,
  shipCode,
  shipName: `${shipCode} 仓`,
  express: packages[0]?.express ?? "YTO",
  waybillCode: packages[0]?.waybillCode ?? null,
  packages: packages.map((pkg) => ({ express: "YTO", ...pkg })),
});

export const packageShipped = (dispatchNO: string, shipped: ReturnType<typeof transfer>) => ({ dispatchNO, ...shipped });

/** The simplest shipment of a notice: one package (waybill `waybillCode`) of one piece of SKU_A from WH-SH. */
export const onePiecePackage = (dispatchNO: string, waybillCode = uniqueCode("WB")) =>
  packageShipped(dispatchNO, transfer("T1", "WH-SH", [{ waybillCode, items: [piece(SKU_A)] }]));

export const noticeShipped = (dispatchNO: string, transfers: ReturnType<typeof transfer>[]) => ({ dispatchNO, transfers });

export const checkout = (dispatchNO: string, packages: { waybillCode: string; sns: string[] }[], over24hReason = "") => ({
  dispatchNO,
  over24hReason,
  packages: packages.map((pkg) => ({ express: "ZTO", ...pkg })),
});

export const omsReceive = (dispatchNO: string, returned: ReturnType<typeof piece>, transferCode: string) => ({
  dispatchNO,
  transferCode,
  receiverCode: "WH01",
  receiverName: "WH01 仓",
  express: "YTO",
  waybillCode: uniqueCode("RW"),
  ...returned,
});

export const storeRefund = (sn: string) => ({ shopCode: "S002", express: "ZTO", waybillCode: uniqueCode("RW"), sn });

export const waybillChange = (targetbillCode: string, waybillCode = uniqueCode("WB")) => ({
  targetbillCode,
  express: "JD",
  waybillCode,
});

/** A valid body for each of the 12 endpoints (about notices that need not exist). */
export function oneOfEach(): Record<string, Body> {
  const dn = uniqueCode("DN");
  const shipped = transfer("T1", "WH01", [{ waybillCode: uniqueCode("WB"), items: [piece(SKU_A)] }]);
  return {
    "/pos/ordermake": storeOrder({ dispatchNO: dn }),
    "/pos/orderremove": { dispatchNO: dn },
    "/pos/checkout": checkout(dn, [{ waybillCode: uniqueCode("WB"), sns: [uniqueCode("SN")] }]),
    "/pos/refuse": { dispatchNO: dn, reason: "门店缺货" },
    "/pos/refund": storeRefund(uniqueCode("SN")),
    "/pos/delivery/waybillchange": { dispatchNO: dn, ...waybillChange(uniqueCode("WB")) },
    "/oms/pushorder": shipFromStoreOrder({ dispatchNO: dn }),
    "/oms/orderremove": { dispatchNO: dn, shopCode: "S002" },
    "/oms/delivery/package": packageShipped(dn, shipped),
    "/oms/delivery/notice": noticeShipped(dn, [shipped]),
    "/oms/receive": omsReceive(dn, piece(SKU_A), "T1"),
    "/oms/delivery/waybillchange": waybillChange(uniqueCode("WB")),
  };
}
