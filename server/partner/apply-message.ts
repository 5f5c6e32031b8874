import type { z } from "zod";
import type { Db } from "@/db/client";
import type { ContractEndpoint, PartnerEndpoint, PartnerPath } from "@/server/contract/endpoints";
import type { ApplyResult, CallContext } from "@/server/notices/apply-result";
import { changeStoreWaybill, changeWarehouseWaybill } from "@/server/notices/change-waybill";
import { createShipFromStoreNotice, createStoreOrder } from "@/server/notices/create-notice";
import { recordOmsReturn, recordStoreReturn } from "@/server/notices/record-return";
import { recordCheckout, recordNoticeShipped, recordPackageShipped } from "@/server/notices/record-shipment";
import { refuseNotice } from "@/server/notices/refuse-notice";
import { voidShipFromStore, voidStoreOrder } from "@/server/void/void-notice";

type Apply<S extends z.ZodType> = (tx: Db, message: z.output<S>, call: CallContext) => Promise<ApplyResult>;

/** What each message of the contract does to its notice (SPEC §4); the compiler checks every path has one, typed by its schema. */
const appliers: { [E in ContractEndpoint as E["path"]]: Apply<E["schema"]> } = {
  "/pos/ordermake": createStoreOrder,
  "/pos/orderremove": voidStoreOrder,
  "/pos/checkout": recordCheckout,
  "/pos/refuse": refuseNotice,
  "/pos/refund": recordStoreReturn,
  "/pos/delivery/waybillchange": changeStoreWaybill,
  "/oms/pushorder": createShipFromStoreNotice,
  "/oms/orderremove": voidShipFromStore,
  "/oms/delivery/package": recordPackageShipped,
  "/oms/delivery/notice": recordNoticeShipped,
  "/oms/receive": recordOmsReturn,
  "/oms/delivery/waybillchange": changeWarehouseWaybill,
};

/**
 * Applies a call's message, already parsed with `endpoint.schema` by the partner
 * route, to its notice inside the call's transaction `tx`.
 */
export function applyMessage(tx: Db, endpoint: PartnerEndpoint, message: unknown, call: CallContext): Promise<ApplyResult> {
  const apply = appliers[endpoint.path as PartnerPath] as Apply<z.ZodType>;
  return apply(tx, message, call);
}
