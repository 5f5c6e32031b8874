import { createHash, timingSafeEqual } from "node:crypto";
import { getConfig } from "@/server/config";
import { readDatabaseForScrape, registerDatabaseMetrics } from "@/server/metrics-database";
import { hubMetrics, metricsOn } from "@/server/metrics";
import { registerProblemMetrics } from "@/server/problems/problem-metrics";

const holder = globalThis as unknown as { hubDatabaseMetrics?: true };

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * `GET /metrics`: the process registry in Prometheus text format (0.0.4).
 * With METRICS_TOKEN set, only a request with `Authorization: Bearer <token>`
 * gets it; others get 401 (compared in constant time). Without it, open: keep
 * the port off the internet or set the token. With METRICS=off: 404 (nothing
 * is counted, so there is nothing to scrape; a scraper sees the target as down).
 */
export async function metricsResponse(request: Request): Promise<Response> {
  if (!metricsOn()) return new Response("metrics are off (METRICS=off)\n", { status: 404, headers: { "content-type": "text/plain" } });
  const token = getConfig().METRICS_TOKEN;
  if (token) {
    const given = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1]?.trim() ?? "";
    if (!timingSafeEqual(digest(given), digest(token))) {
      return new Response("metrics need the bearer token METRICS_TOKEN\n", {
        status: 401,
        headers: { "www-authenticate": 'Bearer realm="metrics"', "content-type": "text/plain" },
      });
    }
  }
  if (!holder.hubDatabaseMetrics) {
    registerDatabaseMetrics();
    registerProblemMetrics();
    holder.hubDatabaseMetrics = true;
  }
  // Never rejects (a failed reading leaves the gauges unset); their collect() awaits it.
  void readDatabaseForScrape();
  const { registry } = hubMetrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
