import type { z } from "zod";
import * as messages from "@/server/contract/messages";

// The message contract's endpoint table (SPEC §3): who calls which path with
// which message. Pure data: notices/, void/, delivery/ and partner/ all read it,
// and it depends on nothing of theirs (what each message does to a notice is
// bound in server/partner/apply-message.ts).

export type PartnerSide = "pos" | "oms";

export type PartnerEndpoint = {
  /** Who calls this path; the message is delivered to the other side under the same path. */
  side: PartnerSide;
  path: string;
  schema: z.ZodType;
  /** Voids are answered by whoever knows whether goods left (SPEC §4, server/void/). */
  isVoid: boolean;
};

const contract = [
  { side: "pos", path: "/pos/ordermake", schema: messages.posOrderMake, isVoid: false },
  { side: "pos", path: "/pos/orderremove", schema: messages.posOrderRemove, isVoid: true },
  { side: "pos", path: "/pos/checkout", schema: messages.posCheckout, isVoid: false },
  { side: "pos", path: "/pos/refuse", schema: messages.posRefuse, isVoid: false },
  { side: "pos", path: "/pos/refund", schema: messages.posRefund, isVoid: false },
  { side: "pos", path: "/pos/delivery/waybillchange", schema: messages.posWaybillChange, isVoid: false },
  { side: "oms", path: "/oms/pushorder", schema: messages.omsPushOrder, isVoid: false },
  { side: "oms", path: "/oms/orderremove", schema: messages.omsOrderRemove, isVoid: true },
  { side: "oms", path: "/oms/delivery/package", schema: messages.omsPackageShipped, isVoid: false },
  { side: "oms", path: "/oms/delivery/notice", schema: messages.omsNoticeShipped, isVoid: false },
  { side: "oms", path: "/oms/receive", schema: messages.omsReceive, isVoid: false },
  { side: "oms", path: "/oms/delivery/waybillchange", schema: messages.omsWaybillChange, isVoid: false },
] as const satisfies readonly PartnerEndpoint[];

/** Every endpoint of the contract. */
export const partnerEndpoints: readonly PartnerEndpoint[] = contract;

/** One endpoint of the table, with its own path and schema types. */
export type ContractEndpoint = (typeof contract)[number];
export type PartnerPath = ContractEndpoint["path"];

/** The endpoint at `path`; throws for a path the contract does not have. */
export function endpointFor(path: string): PartnerEndpoint {
  const found = partnerEndpoints.find((endpoint) => endpoint.path === path);
  if (!found) throw new Error(`No partner endpoint at ${path}`);
  return found;
}

export const otherSide = (side: PartnerSide): PartnerSide => (side === "pos" ? "oms" : "pos");
