import { endpointFor } from "@/server/partner/endpoints";
import { partnerRoute } from "@/server/partner/partner-route";

export const POST = partnerRoute(endpointFor("/pos/checkout"));
