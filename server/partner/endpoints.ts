import type { z } from "zod";
import type { Db } from "@/db/client";
import type { ApplyResult, CallContext } from "@/server/notices/apply-result";
import { changeStoreWaybill, changeWarehouseWaybill } from "@/server/notices/change-waybill";
import { createShipFromStoreNotice, createStoreOrder } from "@/server/notices/create-notice";
import { recordOmsReturn, recordStoreReturn } from "@/server/notices/record-return";
import { recordCheckout, recordNoticeShipped, recordPackageShipped } from "@/server/notices/record-shipment";
import { refuseNotice } from "@/server/notices/refuse-notice";
import { voidShipFromStore, voidStoreOrder } from "@/server/notices/void-notice";
import * as messages from "@/server/partner/messages";

export type PartnerSide = "pos" | "oms";

export type PartnerEndpoint = {
  /** Who calls this path; the message is delivered to the other side under the same path. */
  side: PartnerSide;
  path: string;
  schema: z.ZodType;
  /** Voids are answered by whoever knows whether goods left (SPEC §4). */
  isVoid: boolean;
  apply(tx: Db, message: unknown, call: CallContext): Promise<ApplyResult>;
};

function defineEndpoint<S extends z.ZodType>(definition: {
  side: PartnerSide;
  path: string;
  schema: S;
  isVoid?: boolean;
  apply: (tx: Db, message: z.output<S>, call: CallContext) => Promise<ApplyResult>;
}): PartnerEndpoint {
  // `message` has been parsed with `schema` by the partner route before apply is called.
  return { ...definition, isVoid: definition.isVoid ?? false, apply: (tx, message, call) => definition.apply(tx, message as z.output<S>, call) };
}

export const partnerEndpoints = [
  defineEndpoint({ side: "pos", path: "/pos/ordermake", schema: messages.posOrderMake, apply: createStoreOrder }),
  defineEndpoint({ side: "pos", path: "/pos/orderremove", schema: messages.posOrderRemove, isVoid: true, apply: voidStoreOrder }),
  defineEndpoint({ side: "pos", path: "/pos/checkout", schema: messages.posCheckout, apply: recordCheckout }),
  defineEndpoint({ side: "pos", path: "/pos/refuse", schema: messages.posRefuse, apply: refuseNotice }),
  defineEndpoint({ side: "pos", path: "/pos/refund", schema: messages.posRefund, apply: recordStoreReturn }),
  defineEndpoint({
    side: "pos",
    path: "/pos/delivery/waybillchange",
    schema: messages.posWaybillChange,
    apply: changeStoreWaybill,
  }),
  defineEndpoint({ side: "oms", path: "/oms/pushorder", schema: messages.omsPushOrder, apply: createShipFromStoreNotice }),
  defineEndpoint({ side: "oms", path: "/oms/orderremove", schema: messages.omsOrderRemove, isVoid: true, apply: voidShipFromStore }),
  defineEndpoint({ side: "oms", path: "/oms/delivery/package", schema: messages.omsPackageShipped, apply: recordPackageShipped }),
  defineEndpoint({ side: "oms", path: "/oms/delivery/notice", schema: messages.omsNoticeShipped, apply: recordNoticeShipped }),
  defineEndpoint({ side: "oms", path: "/oms/receive", schema: messages.omsReceive, apply: recordOmsReturn }),
  defineEndpoint({
    side: "oms",
    path: "/oms/delivery/waybillchange",
    schema: messages.omsWaybillChange,
    apply: changeWarehouseWaybill,
  }),
] as const;

export function endpointFor(path: string): PartnerEndpoint {
  const found = partnerEndpoints.find((endpoint) => endpoint.path === path);
  if (!found) throw new Error(`No partner endpoint at ${path}`);
  return found;
}

export const otherSide = (side: PartnerSide): PartnerSide => (side === "pos" ? "oms" : "pos");
