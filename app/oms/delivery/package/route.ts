import { endpointFor } from "@/server/partner/endpoints";
import { partnerRoute } from "@/server/partner/partner-route";

export const POST = partnerRoute(endpointFor("/oms/delivery/package"));
