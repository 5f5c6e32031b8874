import type { IncomingMessage, ServerResponse } from "node:http";
import { partnerEndpoints } from "@/server/contract/endpoints";
import { partnerRoute } from "@/server/partner/partner-route";

/**
 * The partner route handlers as a node:http handler, without the Next.js build:
 * POST /pos/… and /oms/… go to partnerRoute, anything else is 404.
 */
export function partnerHttpHandler() {
  const routes = new Map(partnerEndpoints.map((endpoint) => [endpoint.path, partnerRoute(endpoint)]));
  return async (req: IncomingMessage, res: ServerResponse) => {
    const route = routes.get(req.url ?? "");
    if (req.method !== "POST" || !route) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const response = await route(new Request(`http://hub${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
  };
}
