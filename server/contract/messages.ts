import { z } from "zod";

// One schema per message of the seed, used by the route handler, the types and
// the OpenAPI document. Every string, array and number is bounded: a partner's
// bug must become a 400 naming the field, never a crash or a runaway row.

const code = (description: string) => z.string().trim().min(1).max(64).describe(description);
const optionalCode = (description: string) => z.string().trim().max(64).nullish().describe(description);
const optionalText = (max: number, description: string) => z.string().trim().max(max).nullish().describe(description);

const orderedItem = z
  .object({
    product: code("货号 product code"),
    color: code("色号 color code"),
    size: code("尺码 size"),
    qty: z.number().int().min(1).max(100_000).describe("件数 pieces ordered"),
  })
  .describe("One SKU line");

const orderedItems = z.array(orderedItem).min(1).max(500);

const shippedPiece = z
  .object({
    product: code("货号"),
    color: code("色号"),
    size: code("尺码"),
    sn: optionalCode("件码 serial number of this piece"),
  })
  .describe("One shipped piece");

const warehousePackage = z.object({
  express: optionalCode("快递代码 carrier"),
  waybillCode: code("运单号 waybill"),
  items: z.array(shippedPiece).max(2000),
});

const transfer = z.object({
  transferCode: code("SCM调入单号 transfer (one warehouse's part)"),
  shipCode: optionalCode("出库网点编号 warehouse code"),
  shipName: optionalText(200, "出库网点名称 warehouse name"),
  express: optionalCode("summary carrier; packages[] is authoritative"),
  waybillCode: optionalCode("summary waybill; packages[] is authoritative"),
  packages: z.array(warehousePackage).min(1).max(200),
});

const address = {
  receiver: z.string().trim().min(1).max(100).describe("收件人"),
  phone: z.string().trim().min(1).max(32).describe("电话"),
  province: optionalText(50, "省"),
  city: optionalText(50, "市"),
  county: optionalText(50, "区县"),
  address: z.string().trim().min(1).max(500).describe("地址"),
};

export const posOrderMake = z
  .object({
    shopCode: code("下单门店"),
    dispatchNO: code("发货通知单号"),
    purchaseCode: optionalCode("销售小票号"),
    memberCode: optionalCode("会员ID"),
    ...address,
    items: orderedItems,
  })
  .describe("POS门店下发发货通知至OMS");

export const posOrderRemove = z
  .object({ dispatchNO: code("POS发货通知单号") })
  .describe("POS门店作废发货通知单");

export const posCheckout = z
  .object({
    dispatchNO: code("发货通知单号"),
    over24hReason: optionalText(500, "超时24小时原因"),
    packages: z
      .array(
        z.object({
          express: optionalCode("快递公司代号"),
          waybillCode: code("运单号"),
          sns: z.array(code("件码")).max(2000),
        }),
      )
      .min(1)
      .max(200),
  })
  .describe("门店出库回传");

export const posRefuse = z
  .object({ dispatchNO: code("发货通知单号"), reason: optionalText(500, "退单原因") })
  .describe("门店退单");

export const posRefund = z
  .object({
    shopCode: code("接收退货的门店"),
    express: optionalCode("退货使用的快递类型"),
    waybillCode: optionalCode("退货涉及的运单号"),
    sn: code("退货商品件码"),
  })
  .describe("门店接收退货");

export const posWaybillChange = z
  .object({
    dispatchNO: code("发货通知单号"),
    targetbillCode: code("需要修改的运单号"),
    express: optionalCode("更改后的快递类型"),
    waybillCode: code("更改后的运单号"),
  })
  .describe("门店更改出库运单号");

export const omsPushOrder = z
  .object({
    shopCode: code("发货门店"),
    dispatchNO: code("OMS发货通知单号"),
    purchaseNumber: optionalCode("销售小票号 (optional)"),
    ...address,
    express: optionalCode("偏好快递方式"),
    items: orderedItems,
  })
  .describe("OMS下发电商发货通知单至POS");

export const omsOrderRemove = z
  .object({ dispatchNO: code("欲作废的发货通知单号"), shopCode: code("发货门店") })
  .describe("OMS作废电商发货通知单");

export const omsPackageShipped = z
  .object({ dispatchNO: code("POS下达的发货通知单号"), ...transfer.shape })
  .describe("OMS同步包裹发货");

export const omsNoticeShipped = z
  .object({ dispatchNO: code("POS下达的发货通知单号"), transfers: z.array(transfer).max(50) })
  .describe("OMS同步通知单发货 (transfers: [] = 超卖 oversold)");

export const omsReceive = z
  .object({
    dispatchNO: code("POS下达的发货通知单号"),
    transferCode: optionalCode("SCM调入单号"),
    receiverCode: optionalCode("收货网点编号"),
    receiverName: optionalText(200, "收货网点名称"),
    express: optionalCode("退货快递代码"),
    waybillCode: optionalCode("退货运单号"),
    product: code("货号"),
    color: code("色号"),
    size: code("尺码"),
    sn: optionalCode("件码"),
  })
  .describe("OMS同步收货");

export const omsWaybillChange = z
  .object({
    targetbillCode: code("被更改运单号"),
    express: optionalCode("新运单快递代号"),
    waybillCode: code("新运单号"),
  })
  .describe("OMS同步快递单更改");

/** What the hub answers (and what it expects back when it delivers). */
export const partnerAnswer = z.object({ success: z.boolean(), msg: z.string().optional() });
export type PartnerAnswer = z.infer<typeof partnerAnswer>;

export type OrderedItem = z.infer<typeof orderedItem>;
export type ShippedTransfer = z.infer<typeof transfer>;
