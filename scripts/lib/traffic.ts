import type { z } from "zod";
import type * as messages from "@/server/contract/messages";
import type { Rng } from "@/scripts/lib/random";

// Realistic, valid bodies for the twelve partner messages. Pure functions of
// the random source: the same seed gives the same bodies.

export type Body<K extends keyof typeof messages> = (typeof messages)[K] extends z.ZodType
  ? z.input<(typeof messages)[K]>
  : never;

export type StoreOrder = Body<"posOrderMake">;
export type PushOrder = Body<"omsPushOrder">;
export type Transfer = Omit<Body<"omsPackageShipped">, "dispatchNO">;
export type Checkout = Body<"posCheckout">;
export type ShippedPiece = { product: string; color: string; size: string; sn: string };

export const WAREHOUSES = [
  { code: "WH-SH", name: "上海仓" },
  { code: "WH-GZ", name: "广州仓" },
  { code: "WH-BJ", name: "北京仓" },
] as const;

export const EXPRESS_CODES = ["SF", "ZTO", "YTO", "JD"] as const;

const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "林", "何"];
const GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀", "英", "霞", "平", "婷", "宇", "浩", "欣", "怡", "子", "涵"];
const REGIONS = [
  ["上海市", "上海市", "浦东新区"],
  ["上海市", "上海市", "徐汇区"],
  ["北京市", "北京市", "朝阳区"],
  ["北京市", "北京市", "海淀区"],
  ["广东省", "广州市", "天河区"],
  ["广东省", "深圳市", "南山区"],
  ["浙江省", "杭州市", "西湖区"],
  ["江苏省", "南京市", "鼓楼区"],
  ["四川省", "成都市", "武侯区"],
  ["湖北省", "武汉市", "洪山区"],
] as const;
const ROADS = ["人民路", "中山路", "解放路", "建设路", "长江路", "和平路", "文化路", "南京西路", "科技园路", "滨江大道"];
const COMMUNITIES = ["阳光花园", "锦绣苑", "翠湖小区", "金色家园", "世纪新城", "绿地中心"];
const PRODUCTS = ["P24T1031", "P24T1077", "P24D2015", "P24J3102", "P24K4410", "P24S5021", "P23C6088", "P24P7103"];
const COLORS = ["BLK", "WHT", "NVY", "GRY", "RED", "KHK", "BEG"];
const SIZES = ["XS", "S", "M", "L", "XL", "XXL"];
const REFUSE_REASONS = ["门店库存不足", "商品有瑕疵, 无法发货", "门店盘点中, 暂停发货", "顾客已在门店自提"];
const LATE_REASONS = ["门店人手不足, 延迟打包", "快递未按时揽收", "节假日门店客流高峰", "系统故障补录"];

export const shopCode = (rng: Rng) => `S${String(rng.int(1, 50)).padStart(3, "0")}`;
export const phone = (rng: Rng) => `1${rng.pick(["3", "5", "8"])}${rng.int(0, 9)}${rng.digits(8)}`;
export const chineseName = (rng: Rng) => rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.chance(0.4) ? rng.pick(GIVEN) : "");

export function waybillCode(rng: Rng, express: string): string {
  switch (express) {
    case "SF":
      return `SF${rng.int(1, 9)}${rng.digits(12)}`;
    case "YTO":
      return `YT${rng.int(1, 9)}${rng.digits(12)}`;
    case "JD":
      return `JDVA${rng.int(1, 9)}${rng.digits(10)}`;
    default:
      return `7${rng.digits(13)}`;
  }
}

function receiverAddress(rng: Rng) {
  const [province, city, county] = rng.pick(REGIONS);
  const street = `${rng.pick(ROADS)}${rng.int(1, 999)}号${rng.pick(COMMUNITIES)}${rng.int(1, 30)}栋${rng.int(1, 32)}0${rng.int(1, 4)}室`;
  return { receiver: chineseName(rng), phone: phone(rng), province, city, county, address: street };
}

function orderedItems(rng: Rng) {
  const lines = new Map<string, { product: string; color: string; size: string; qty: number }>();
  const wanted = rng.int(1, 4);
  while (lines.size < wanted) {
    const line = { product: rng.pick(PRODUCTS), color: rng.pick(COLORS), size: rng.pick(SIZES), qty: rng.int(1, 3) };
    lines.set(`${line.product}/${line.color}/${line.size}`, line);
  }
  return [...lines.values()];
}

export function storeOrder(rng: Rng): StoreOrder {
  const shop = shopCode(rng);
  return {
    shopCode: shop,
    dispatchNO: rng.uniqueId("DN"),
    purchaseCode: `${shop}${rng.digits(10)}`,
    memberCode: rng.chance(0.7) ? `M${rng.digits(10)}` : null,
    ...receiverAddress(rng),
    items: orderedItems(rng),
  };
}

export function pushOrder(rng: Rng): PushOrder {
  return {
    shopCode: shopCode(rng),
    dispatchNO: rng.uniqueId("EC"),
    purchaseNumber: rng.chance(0.8) ? `${rng.pick(["TB", "JDO", "DY", "WX"])}${rng.digits(14)}` : undefined,
    ...receiverAddress(rng),
    express: rng.chance(0.6) ? rng.pick(EXPRESS_CODES) : null,
    items: orderedItems(rng),
  };
}

/** Every ordered piece with its own serial number (件码). */
export function piecesOf(rng: Rng, items: readonly { product: string; color: string; size: string; qty: number }[]): ShippedPiece[] {
  return items.flatMap((line) =>
    Array.from({ length: line.qty }, () => ({ product: line.product, color: line.color, size: line.size, sn: rng.uniqueId("SN") })),
  );
}

function splitIntoParts<T>(rng: Rng, items: readonly T[], parts: number): T[][] {
  const count = Math.max(1, Math.min(parts, items.length));
  const groups: T[][] = Array.from({ length: count }, () => []);
  // Each part gets at least one piece, the rest land anywhere.
  items.forEach((item, index) => (groups[index < count ? index : rng.int(0, count - 1)] as T[]).push(item));
  return groups;
}

/** OMS splits the order over 1–3 warehouses; each ships 1–2 parcels. */
export function warehouseTransfers(rng: Rng, order: StoreOrder): Transfer[] {
  const pieces = piecesOf(rng, order.items);
  const warehouses = rng.shuffle(WAREHOUSES).slice(0, rng.int(1, 3));
  return splitIntoParts(rng, pieces, warehouses.length).map((share, index) => {
    const warehouse = warehouses[index] as (typeof WAREHOUSES)[number];
    const express = rng.pick(EXPRESS_CODES);
    const packages = splitIntoParts(rng, share, rng.int(1, 2)).map((items) => ({ express, waybillCode: waybillCode(rng, express), items }));
    return {
      transferCode: rng.uniqueId("TR"),
      shipCode: warehouse.code,
      shipName: warehouse.name,
      express,
      waybillCode: packages[0]?.waybillCode,
      packages,
    };
  });
}

export const packageShipped = (order: { dispatchNO: string }, transfer: Transfer): Body<"omsPackageShipped"> => ({
  dispatchNO: order.dispatchNO,
  ...transfer,
});

export const noticeShipped = (order: { dispatchNO: string }, transfers: Transfer[]): Body<"omsNoticeShipped"> => ({
  dispatchNO: order.dispatchNO,
  transfers,
});

/** The store ships a ship-from-store notice in 1–2 parcels; late ones say why. */
export function storeCheckout(rng: Rng, order: PushOrder, late = false): { checkout: Checkout; pieces: ShippedPiece[] } {
  const pieces = piecesOf(rng, order.items);
  const express = order.express ?? rng.pick(EXPRESS_CODES);
  const packages = splitIntoParts(rng, pieces, rng.int(1, 2)).map((share) => ({
    express,
    waybillCode: waybillCode(rng, express),
    sns: share.map((piece) => piece.sn),
  }));
  return {
    checkout: { dispatchNO: order.dispatchNO, over24hReason: late ? rng.pick(LATE_REASONS) : null, packages },
    pieces,
  };
}

export const storeVoid = (order: { dispatchNO: string }): Body<"posOrderRemove"> => ({ dispatchNO: order.dispatchNO });
export const omsVoid = (order: PushOrder): Body<"omsOrderRemove"> => ({ dispatchNO: order.dispatchNO, shopCode: order.shopCode });
export const storeRefusal = (rng: Rng, order: PushOrder): Body<"posRefuse"> => ({
  dispatchNO: order.dispatchNO,
  reason: rng.pick(REFUSE_REASONS),
});

/** A customer sends one piece of a store order back to the warehouse it came from. */
export function warehouseReturn(rng: Rng, order: StoreOrder, transfer: Transfer): Body<"omsReceive"> {
  const piece = rng.pick(transfer.packages.flatMap((pkg) => pkg.items));
  const warehouse = WAREHOUSES.find((candidate) => candidate.code === transfer.shipCode) ?? WAREHOUSES[0];
  const express = rng.pick(EXPRESS_CODES);
  return {
    dispatchNO: order.dispatchNO,
    transferCode: transfer.transferCode,
    receiverCode: warehouse.code,
    receiverName: warehouse.name,
    express,
    waybillCode: waybillCode(rng, express),
    product: piece.product,
    color: piece.color,
    size: piece.size,
    sn: piece.sn,
  };
}

/** A customer brings one piece of a ship-from-store order back to a store. */
export function storeReturn(rng: Rng, order: PushOrder, piece: ShippedPiece): Body<"posRefund"> {
  const byPost = rng.chance(0.6);
  const express = rng.pick(EXPRESS_CODES);
  return {
    shopCode: rng.chance(0.8) ? order.shopCode : shopCode(rng),
    express: byPost ? express : null,
    waybillCode: byPost ? waybillCode(rng, express) : null,
    sn: piece.sn,
  };
}

export function storeWaybillChange(rng: Rng, checkout: Checkout): Body<"posWaybillChange"> {
  const target = rng.pick(checkout.packages);
  const express = rng.pick(EXPRESS_CODES);
  return { dispatchNO: checkout.dispatchNO, targetbillCode: target.waybillCode, express, waybillCode: waybillCode(rng, express) };
}

export function warehouseWaybillChange(rng: Rng, transfers: readonly Transfer[]): Body<"omsWaybillChange"> {
  const target = rng.pick(transfers.flatMap((transfer) => transfer.packages));
  const express = rng.pick(EXPRESS_CODES);
  return { targetbillCode: target.waybillCode, express, waybillCode: waybillCode(rng, express) };
}
