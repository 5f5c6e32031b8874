import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { HubConfig } from "@/server/config";
import { clientAddressOnSocket } from "@/server/partner/client-address";

/**
 * The hub's node:http server around a request handler (Next.js's in
 * `npm start`), with the limits that keep a slow client from holding a
 * connection (issue 9): headers within HTTP_HEADERS_TIMEOUT_MS, the whole
 * request (body included) within HTTP_REQUEST_TIMEOUT_MS, else 408 and the
 * connection is closed. Node checks both every second. Neither limits the
 * answer: a live-updates SSE stream runs as long as the browser keeps it
 * (http-server.test.ts streams past the request limit).
 * The client's address is resolved here, where the socket is known, and handed
 * on as the request's only X-Forwarded-For entry (clientAddressOnSocket: the
 * socket's peer unless TRUSTED_PROXY_HOPS proxies of ours are in front).
 */
export function createHubServer(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
  config: Pick<HubConfig, "HTTP_HEADERS_TIMEOUT_MS" | "HTTP_REQUEST_TIMEOUT_MS" | "TRUSTED_PROXY_HOPS">,
): Server {
  const server = createServer(
    {
      // Node requires headersTimeout <= requestTimeout.
      headersTimeout: Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS),
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      // How often Node checks the two limits (its default, 30 s, would let a trickle run that much longer).
      connectionsCheckingInterval: 1000,
    },
    (req, res) => {
      req.headers["x-forwarded-for"] = clientAddressOnSocket(req.headers["x-forwarded-for"], req.socket.remoteAddress, config.TRUSTED_PROXY_HOPS);
      delete req.headers["x-real-ip"];
      void handler(req, res);
    },
  );
  // Longer than a load balancer's idle timeout is the usual advice; Node's default 5 s is shorter than most.
  server.keepAliveTimeout = 65_000;
  return server;
}
