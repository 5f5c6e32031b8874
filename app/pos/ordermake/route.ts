import { endpointFor } from "@/server/contract/endpoints";
import { partnerRoute } from "@/server/partner/partner-route";

export const POST = partnerRoute(endpointFor("/pos/ordermake"));
