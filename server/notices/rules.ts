import type { NoticeStatus } from "@/lib/states";
// The notice rules of SPEC §4 as plain functions over plain data. The database
// code loads a notice, asks these what to do, and writes the answer.

export const BUSINESS_MSG = {
  duplicateNotice: "发货通知单号重复",
  noticeNotFound: "通知单不存在",
  storeOrderShipped: "通知单已经出库", // pos/orderremove, seed wording
  storeCheckedOut: "通知单已出库", // oms/orderremove, seed wording
  noticeVoided: "通知单已作废",
} as const;

export type NoticeKind = "store_order" | "ship_from_store";
export type { NoticeStatus };
export type NoticeState = { kind: NoticeKind; status: NoticeStatus };

export type Decision = { ok: true } | { ok: false; msg: string };
const ok: Decision = { ok: true };
const refuse = (msg: string): Decision => ({ ok: false, msg });

/** POS voids its store order: only while no warehouse has shipped anything. Oversold orders are voided by design. */
export function decideStoreOrderVoid(notice: NoticeState): Decision {
  return notice.status === "partially_shipped" || notice.status === "shipped"
    ? refuse(BUSINESS_MSG.storeOrderShipped)
    : ok;
}

/** OMS voids a ship-from-store notice: only until the store has checked out. */
export function decideShipFromStoreVoid(notice: NoticeState): Decision {
  return notice.status === "shipped" ? refuse(BUSINESS_MSG.storeCheckedOut) : ok;
}

/** Package shipped, notice shipped, checkout. */
export function decideShipment(notice: NoticeState): Decision {
  return notice.status === "voided" ? refuse(BUSINESS_MSG.noticeVoided) : ok;
}

/** The store gives a ship-from-store notice back. Too late once it shipped. */
export function decideRefusal(notice: NoticeState): Decision {
  if (notice.status === "voided") return refuse(BUSINESS_MSG.noticeVoided);
  if (notice.status === "shipped") return refuse(BUSINESS_MSG.storeCheckedOut);
  return ok;
}

/** A package from one warehouse: the order is on its way, but only the notice message is final. */
export function statusAfterPackage(current: NoticeStatus): NoticeStatus {
  return current === "pending" ? "partially_shipped" : current;
}

/** The final "notice shipped": nothing shipped at all means the order was oversold (超卖). */
export function statusAfterNoticeShipped(piecesShippedInTotal: number): NoticeStatus {
  return piecesShippedInTotal === 0 ? "oversold" : "shipped";
}

export type Sku = { product: string; color: string; size: string };
export type Piece = { product?: string | null; color?: string | null; size?: string | null; sn?: string | null };

export const skuKey = (sku: Sku) => `${sku.product}\u0000${sku.color}\u0000${sku.size}`;
export const skuLabel = (sku: Sku) => `${sku.product}/${sku.color}/${sku.size}`;

const pieceSku = (piece: Piece): Sku | null =>
  piece.product && piece.color && piece.size
    ? { product: piece.product, color: piece.color, size: piece.size }
    : null;

/** Lines of the same SKU are one line: quantities add up. */
export function mergeOrderedItems<T extends Sku & { qty: number }>(items: readonly T[]): (Sku & { qty: number })[] {
  const merged = new Map<string, Sku & { qty: number }>();
  for (const item of items) {
    const key = skuKey(item);
    const line = merged.get(key);
    if (line) line.qty += item.qty;
    else merged.set(key, { product: item.product, color: item.color, size: item.size, qty: item.qty });
  }
  return [...merged.values()];
}

const pieceKey = (piece: Piece) =>
  [piece.product ?? "", piece.color ?? "", piece.size ?? "", piece.sn ?? ""].join("\u0000");

/**
 * A package the hub already recorded may be sent again (OMS repeats a transfer
 * in the final notice message). Only pieces not already in it are new.
 */
export function piecesNotYetRecorded<T extends Piece>(recorded: readonly Piece[], incoming: readonly T[]): T[] {
  const remaining = new Map<string, number>();
  for (const piece of recorded) remaining.set(pieceKey(piece), (remaining.get(pieceKey(piece)) ?? 0) + 1);
  return incoming.filter((piece) => {
    const left = remaining.get(pieceKey(piece)) ?? 0;
    if (left > 0) {
      remaining.set(pieceKey(piece), left - 1);
      return false;
    }
    return true;
  });
}

export type AnomalyKind =
  | "over_shipped"
  | "duplicate_serial"
  | "sku_not_ordered"
  | "sla_breach"
  | "short_shipped"
  | "unmatched_return"
  | "unmatched_waybill"
  | "goods_after_final"
  | "stale_waybill_change";

export type AnomalyDraft = { kind: AnomalyKind; detail: string; data?: Record<string, unknown> };

/**
 * Goods that moved are accepted whatever they look like; what does not add up
 * is flagged for ops. Pieces without a SKU (store checkout sends serials only)
 * are checked against the total ordered.
 */
export function findShipmentAnomalies(input: {
  ordered: readonly (Sku & { qty: number })[];
  alreadyShipped: readonly Piece[];
  incoming: readonly Piece[];
}): AnomalyDraft[] {
  const anomalies: AnomalyDraft[] = [];
  const orderedBySku = new Map(input.ordered.map((line) => [skuKey(line), line.qty]));

  const seenSerials = new Set(input.alreadyShipped.flatMap((piece) => (piece.sn ? [piece.sn] : [])));
  const duplicates = new Set<string>();
  for (const piece of input.incoming) {
    if (!piece.sn) continue;
    if (seenSerials.has(piece.sn)) duplicates.add(piece.sn);
    seenSerials.add(piece.sn);
  }
  for (const sn of duplicates) {
    anomalies.push({ kind: "duplicate_serial", detail: `件码 ${sn} 重复出库 (serial shipped twice)`, data: { sn } });
  }

  const incomingBySku = new Map<string, { sku: Sku; count: number }>();
  let incomingWithoutSku = 0;
  for (const piece of input.incoming) {
    const sku = pieceSku(piece);
    if (!sku) {
      incomingWithoutSku++;
      continue;
    }
    const entry = incomingBySku.get(skuKey(sku)) ?? { sku, count: 0 };
    entry.count++;
    incomingBySku.set(skuKey(sku), entry);
  }

  const shippedBySku = new Map<string, number>();
  for (const piece of input.alreadyShipped) {
    const sku = pieceSku(piece);
    if (sku) shippedBySku.set(skuKey(sku), (shippedBySku.get(skuKey(sku)) ?? 0) + 1);
  }

  for (const [key, { sku, count }] of incomingBySku) {
    const ordered = orderedBySku.get(key);
    if (ordered === undefined) {
      anomalies.push({
        kind: "sku_not_ordered",
        detail: `${skuLabel(sku)} 未订购却出库 ${count} 件 (SKU not ordered)`,
        data: { ...sku, shipped: count },
      });
      continue;
    }
    const total = (shippedBySku.get(key) ?? 0) + count;
    if (total > ordered) {
      anomalies.push({
        kind: "over_shipped",
        detail: `${skuLabel(sku)} 订购 ${ordered} 件, 已出库 ${total} 件 (over-shipped)`,
        data: { ...sku, ordered, shipped: total },
      });
    }
  }

  if (incomingWithoutSku > 0) {
    const orderedTotal = input.ordered.reduce((sum, line) => sum + line.qty, 0);
    const total = input.alreadyShipped.length + input.incoming.length;
    if (total > orderedTotal) {
      anomalies.push({
        kind: "over_shipped",
        detail: `订购 ${orderedTotal} 件, 已出库 ${total} 件 (over-shipped)`,
        data: { ordered: orderedTotal, shipped: total },
      });
    }
  }
  return anomalies;
}

/** After the final notice message: SKUs that left the warehouses short of what was ordered. */
export function findShortShipment(
  ordered: readonly (Sku & { qty: number })[],
  shipped: readonly Piece[],
): AnomalyDraft[] {
  if (shipped.length === 0) return []; // nothing shipped: oversold, its own status
  const shippedBySku = new Map<string, number>();
  for (const piece of shipped) {
    const sku = pieceSku(piece);
    if (sku) shippedBySku.set(skuKey(sku), (shippedBySku.get(skuKey(sku)) ?? 0) + 1);
  }
  return ordered
    .filter((line) => (shippedBySku.get(skuKey(line)) ?? 0) < line.qty)
    .map((line) => {
      const count = shippedBySku.get(skuKey(line)) ?? 0;
      return {
        kind: "short_shipped" as const,
        detail: `${skuLabel(line)} 订购 ${line.qty} 件, 仅出库 ${count} 件 (short-shipped)`,
        data: { ...line, ordered: line.qty, shipped: count },
      };
    });
}

/** States after which the seed expects nothing more to move (SPEC §4); voided is refused outright instead. */
export const FINAL_STATUSES = ["shipped", "oversold", "refused"] as const satisfies readonly NoticeStatus[];

/**
 * SPEC §4: goods movement (package / notice shipped, checkout) on a notice
 * already shipped, oversold or refused is accepted — the goods moved — and
 * flagged on that notice. `movement` names the message, e.g. "oms/delivery/package".
 */
export function findGoodsAfterFinal(status: NoticeStatus, movement: string): AnomalyDraft | null {
  if (!(FINAL_STATUSES as readonly NoticeStatus[]).includes(status)) return null;
  return {
    kind: "goods_after_final",
    detail: `通知单已是终态 ${status} 后又收到 ${movement} (goods moved after the notice was final)`,
    data: { status, movement },
  };
}

/**
 * SPEC §4: a waybill change naming a waybill that an earlier change already
 * replaced (a late or stale change). It is tied to the notice that waybill
 * belonged to and flagged; the parcel keeps its current waybill.
 */
export function staleWaybillChange(
  change: { targetbillCode: string; waybillCode: string },
  currentWaybill: string | null,
): AnomalyDraft {
  return {
    kind: "stale_waybill_change",
    detail: `运单 ${change.targetbillCode} 已改为 ${currentWaybill ?? "?"}, 迟到的更改 → ${change.waybillCode} 未应用 (waybill already changed away; late change not applied)`,
    data: { targetbillCode: change.targetbillCode, currentWaybill, requested: change.waybillCode },
  };
}

export const SHIP_FROM_STORE_SLA_MS = 24 * 3600 * 1000;

/** The store must ship within 24 h of the push, or say why (over24hReason). */
export function findSlaBreach(input: {
  pushedAt: Date;
  checkedOutAt: Date;
  over24hReason?: string | null;
}): AnomalyDraft | null {
  const late = input.checkedOutAt.getTime() - input.pushedAt.getTime() > SHIP_FROM_STORE_SLA_MS;
  if (!late || input.over24hReason?.trim()) return null;
  const hours = Math.floor((input.checkedOutAt.getTime() - input.pushedAt.getTime()) / 3_600_000);
  return {
    kind: "sla_breach",
    detail: `推单后 ${hours} 小时才出库且未填写超时原因 (checked out after 24 h without over24hReason)`,
    data: { hours },
  };
}

export function phoneTail(phone: string | null | undefined): string | null {
  const digits = phone?.replace(/\D/g, "") ?? "";
  return digits.length >= 4 ? digits.slice(-4) : null;
}
