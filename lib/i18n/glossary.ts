// The hub's business vocabulary, one entry per term: what the shop floor calls
// it in Chinese, its English twin, and a note for reviewers saying where the
// word comes from (seed section, SPEC §) and what it must not be confused with.
// The i18n dictionaries (zh-cn.ts, en.ts) take these words from here; pages
// never spell a business term themselves. Reviewed with a Chinese-speaking
// reader in mind: retail words, not developer words.

import type { Locale } from "@/lib/i18n/locale";

export type GlossaryEntry = { zh: string; en: string; note: string };

/**
 * Business name of each partner endpoint, keyed by its path (SPEC §3 table).
 * The names are the seed's section titles (seed 000_ee2b8aab1d767b3e.txt),
 * shortened; the path is only ever shown as secondary text next to them.
 */
export const endpointTerms = {
  "/pos/ordermake": { zh: "门店下单", en: "Store order", note: "seed: 门店下单篇 · POS门店下发发货通知至OMS" },
  "/pos/orderremove": { zh: "门店作废通知单", en: "Store voids notice", note: "seed: POS门店作废发货通知单 (refund or oversold)" },
  "/pos/checkout": { zh: "门店出库回传", en: "Store checkout (shipped)", note: "seed: 门店发货篇 · 门店出库回传; packages with serials (sns), no SKU" },
  "/pos/refuse": { zh: "门店退单", en: "Store refuses notice", note: "seed: 门店退单 — the store cannot fulfil; not a customer return" },
  "/pos/refund": { zh: "门店接收退货", en: "Store received return", note: "seed: 门店接收退货; found by serial, carries no dispatchNO" },
  "/pos/delivery/waybillchange": { zh: "门店更改运单", en: "Store waybill change", note: "seed: 门店更改出库运单号" },
  "/oms/pushorder": { zh: "电商下发通知单", en: "E-commerce order to store", note: "seed: OMS下发电商发货通知单至POS (ship from store begins)" },
  "/oms/orderremove": { zh: "电商作废通知单", en: "E-commerce voids notice", note: "seed: OMS作废电商发货通知单" },
  "/oms/delivery/package": { zh: "仓库包裹发货", en: "Warehouse package shipped", note: "seed: OMS同步包裹发货 (one transfer, possibly one of several)" },
  "/oms/delivery/notice": { zh: "整单发货/超卖", en: "Notice shipped / oversold", note: "seed: OMS同步通知单发货; transfers: [] means oversold (超卖)" },
  "/oms/receive": { zh: "仓库收货（退货）", en: "Return received", note: "seed: OMS同步收货 — buyer's return or a refused parcel coming back" },
  "/oms/delivery/waybillchange": { zh: "快递单更改", en: "Warehouse waybill change", note: "seed: OMS同步快递单更改; found by waybill, no dispatchNO" },
} as const satisfies Record<string, GlossaryEntry>;

export type EndpointPath = keyof typeof endpointTerms;

/** Business terms used across pages (labels, headings, sentences). */
export const terms = {
  notice: { zh: "发货通知单", en: "dispatch notice", note: "seed: 发货通知单; the unit everything hangs on (SPEC §4)" },
  dispatchNo: { zh: "通知单号", en: "Dispatch no.", note: "seed field dispatchNO (发货通知单号)" },
  purchaseCode: { zh: "小票号", en: "Receipt no.", note: "seed fields purchaseCode / purchaseNumber (销售小票号)" },
  memberCode: { zh: "会员", en: "Member", note: "seed field memberCode (会员ID)" },
  shop: { zh: "门店", en: "Store", note: "seed field shopCode (下单门店 / 发货门店)" },
  transferCode: {
    zh: "调入单号",
    en: "Transfer no.",
    note: "seed: transferCode = SCM调入单号, a warehouse stock transfer. 调入 is ONLY this; inbound calls are 接收 / 来电",
  },
  waybill: { zh: "运单号", en: "Waybill", note: "seed field waybillCode (运单号); targetbillCode is the waybill being changed" },
  serial: { zh: "件码", en: "Serial", note: "seed field sn (件码): one per piece" },
  product: { zh: "货号", en: "Product", note: "seed field product (货号); SKU = 货号 + 色号 + 尺码" },
  color: { zh: "色号", en: "Color", note: "seed field color (色号)" },
  size: { zh: "尺码", en: "Size", note: "seed field size (尺码)" },
  express: { zh: "快递", en: "Carrier", note: "seed field express (快递代码)" },
  warehouse: { zh: "出库网点", en: "Warehouse", note: "seed fields shipCode / shipName (出库网点)" },
  oversold: { zh: "超卖", en: "Oversold", note: "seed: 超卖 — notice shipped with transfers: []" },
  storeOrder: { zh: "门店下单", en: "Store order", note: "seed: 门店下单篇 (O2O: store sells, OMS fulfils)" },
  shipFromStore: { zh: "门店发货", en: "Ship from store", note: "seed: 门店发货篇 (OMS asks a store to ship)" },
  pos: { zh: "门店 POS", en: "Store POS", note: "the stores' point-of-sale system (a partner)" },
  oms: { zh: "电商 OMS", en: "E-commerce OMS", note: "the e-commerce order management system (a partner)" },
  hub: { zh: "中台", en: "hub", note: "this product" },
  inbound: { zh: "接收", en: "Received", note: "a call a partner made to the hub (来电). Never 调入: that is a stock transfer-in" },
  outbound: { zh: "投递", en: "Delivery", note: "the hub forwarding a message to the other side (outbox)" },
  delivery: { zh: "投递", en: "delivery", note: "one outbox message to the other side, with its attempts" },
  attempt: { zh: "尝试", en: "attempt", note: "one HTTP call of a delivery" },
  headOfLine: { zh: "队首投递", en: "head of line", note: "the open delivery holding back later ones of the same notice (SPEC §5)" },
  posToken: { zh: "门店 POS 令牌（环境配置）", en: "Store POS token (environment)", note: "the token set by HUB_POS_TOKEN; its name is only a hint" },
  omsToken: { zh: "电商 OMS 令牌（环境配置）", en: "E-commerce OMS token (environment)", note: "the token set by HUB_OMS_TOKEN; its name is only a hint" },
} as const satisfies Record<string, GlossaryEntry>;

export type TermKey = keyof typeof terms;

const pick = (entry: GlossaryEntry, locale: Locale) => (locale === "en" ? entry.en : entry.zh);

/** A term in the reader's language, e.g. term("serial", "zh-CN") → "件码". */
export const term = (key: TermKey, locale: Locale): string => pick(terms[key], locale);

/**
 * The business name of an endpoint path ("/pos/ordermake" → "门店下单"); an
 * unknown path (a refused call to a path that does not exist) is returned as is.
 */
export function endpointName(path: string, locale: Locale): string {
  const entry = (endpointTerms as Record<string, GlossaryEntry | undefined>)[path];
  return entry ? pick(entry, locale) : path;
}

/** A partner side as the shop floor says it: "pos" → "门店 POS". */
export const sideName = (side: string, locale: Locale): string => (side === "pos" || side === "oms" ? term(side, locale) : side.toUpperCase());

/** Env-variable token labels (server/partner/authenticate.ts) in words; stored tokens keep the label an admin gave them. */
export function tokenLabelText(label: string | null | undefined, locale: Locale): string | null {
  if (!label) return null;
  if (label === "HUB_POS_TOKEN") return term("posToken", locale);
  if (label === "HUB_OMS_TOKEN") return term("omsToken", locale);
  return label;
}
