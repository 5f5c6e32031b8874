import { metricsResponse } from "@/server/metrics-endpoint";

export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint (SPEC §9); bearer METRICS_TOKEN when set. */
export function GET(request: Request): Promise<Response> {
  return metricsResponse(request);
}
