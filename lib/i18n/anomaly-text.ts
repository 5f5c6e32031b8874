// An anomaly in the reader's language only (issue 12: the stored `detail` is
// "中文 (English)", both at once). Built from the anomaly's kind and its data
// (server/notices/rules.ts writes both); `detail` is the fallback for rows
// whose data lacks what the sentence needs.

import { endpointName } from "@/lib/i18n/glossary";
import type { Locale } from "@/lib/i18n/locale";
import type { Translate } from "@/lib/i18n/messages";
import type { MessageKey } from "@/lib/i18n/zh-cn";

type Anomaly = { kind: string; detail: string; data: unknown };

const NEEDS: Record<string, string[]> = {
  over_shipped: ["ordered", "shipped"],
  duplicate_serial: ["sn"],
  sku_not_ordered: ["product", "shipped"],
  sla_breach: ["hours"],
  short_shipped: ["product", "ordered", "shipped"],
  unmatched_return: ["sn"],
  unmatched_waybill: ["targetbillCode"],
  goods_after_final: ["status", "movement"],
  stale_waybill_change: ["targetbillCode", "requested"],
};

/** "中文 (English)" → the half in the reader's language. */
function detailIn(detail: string, locale: Locale): string {
  const match = /^(.*?)\s*\(([^()]*)\)$/.exec(detail);
  if (!match) return detail;
  return locale === "en" ? match[2]! : match[1]!;
}

/**
 * The anomaly's sentence, e.g. over_shipped with {product:"G1",color:"C1",size:"S",ordered:1,shipped:2}
 * → "G1/C1/S 订购 1 件，已出库 2 件" (zh-CN) / "G1/C1/S: 1 ordered, 2 shipped" (en).
 * `data` may be the object or its JSON text (the notice story sends text).
 */
export function anomalyText(anomaly: Anomaly, t: Translate, locale: Locale): string {
  let data: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = typeof anomaly.data === "string" ? JSON.parse(anomaly.data) : anomaly.data;
    if (parsed && typeof parsed === "object") data = parsed as Record<string, unknown>;
  } catch {
    data = null;
  }
  const needs = NEEDS[anomaly.kind];
  const overTotal = anomaly.kind === "over_shipped" && data && data.product === undefined;
  if (!data || !needs || !needs.every((key) => data[key] !== undefined && data[key] !== null)) return detailIn(anomaly.detail, locale);
  const vars: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(data)) if (typeof value === "string" || typeof value === "number") vars[key] = value;
  if (vars.product !== undefined) vars.sku = `${vars.product}/${vars.color ?? ""}/${vars.size ?? ""}`;
  if (anomaly.kind === "goods_after_final") {
    vars.status = t(`status.${vars.status}` as MessageKey);
    vars.movement = endpointName(`/${String(vars.movement).replace(/^\//, "")}`, locale);
  }
  vars.currentWaybill ??= "?";
  const key = (overTotal ? "anomalyText.over_shipped_total" : `anomalyText.${anomaly.kind}`) as MessageKey;
  return t(key, vars);
}
