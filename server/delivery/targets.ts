import type { HubConfig } from "@/server/config";
import type { PartnerSide } from "@/server/contract/endpoints";

export type DeliveryTarget = { baseUrl: string; token?: string };

/** Where deliveries to a side go. Unset base URL: deliveries wait, shown as "no target". */
export function targetFor(side: PartnerSide, config: HubConfig): DeliveryTarget | null {
  const baseUrl = side === "oms" ? config.OMS_BASE_URL : config.POS_BASE_URL;
  if (!baseUrl) return null;
  return { baseUrl: baseUrl.replace(/\/+$/, ""), token: side === "oms" ? config.OMS_TOKEN : config.POS_TOKEN };
}

export function configuredTargets(config: HubConfig): PartnerSide[] {
  return (["pos", "oms"] as const).filter((side) => targetFor(side, config) !== null);
}
