import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { HubConfig } from "@/server/config";
import { log } from "@/server/log";
import { observePartnerCall } from "@/server/metrics";
import { BUSY_ANSWER } from "@/server/partner/admission";
import { clientAddressOnSocket } from "@/server/client-address";
import { partnerEndpointOf, shouldShed, watchEventLoop } from "@/server/partner/load-shedding";
import { isWarmUpCall, WARM_UP_HEADER } from "@/server/partner/warm-up";

/**
 * Answers a partner call turned away for load here, before the handler: the
 * route's own BUSY_ANSWER, counted as outcome "unavailable" like the route's.
 * The body is not read; Node discards what is left of it once the answer is
 * sent, and the connection stays usable for the caller's retry.
 */
function shed(res: ServerResponse, side: string, path: string, startedAt: number) {
  const body = JSON.stringify(BUSY_ANSWER.body);
  res.writeHead(BUSY_ANSWER.status, {
    ...BUSY_ANSWER.headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "x-content-type-options": "nosniff",
  });
  res.end(body);
  observePartnerCall(side, path, "unavailable", (performance.now() - startedAt) / 1000);
}

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
 * Partner POSTs are answered 503 here, before the handler, while the process
 * is saturated (server/partner/load-shedding.ts: the admission queue full or
 * the event loop late), so a caller turned away is told at once.
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
      const startedAt = performance.now();
      const partner = partnerEndpointOf(req.method, req.url);
      if (partner && shouldShed() && !isWarmUpCall(req.headers[WARM_UP_HEADER])) return shed(res, partner.side, partner.path, startedAt);
      req.headers["x-forwarded-for"] = clientAddressOnSocket(req.headers["x-forwarded-for"], req.socket.remoteAddress, config.TRUSTED_PROXY_HOPS);
      delete req.headers["x-real-ip"];
      void handler(req, res);
    },
  );
  watchEventLoop();
  // Longer than a load balancer's idle timeout is the usual advice; Node's default 5 s is shorter than most.
  server.keepAliveTimeout = 65_000;
  return server;
}

/**
 * Listens on PORT (on HOST, else every interface) and calls `onListening` with
 * the port. When it cannot — the port taken (EADDRINUSE), the address refused —
 * it logs one fatal line naming the error and exits 1, so a supervisor sees the
 * failed start: the process would otherwise run its worker and warm-up with no
 * server, while /api/health/ready answered from whoever holds the port.
 */
export function listenOrExit(server: Server, config: Pick<HubConfig, "PORT" | "HOST">, onListening: (port: number) => void): void {
  server.once("error", (error: NodeJS.ErrnoException) => {
    // `code` on its own field (EADDRINUSE, EACCES, EADDRNOTAVAIL): what a supervisor's log search looks for.
    log.fatal({ err: error, code: error.code, port: config.PORT, host: config.HOST ?? "*" }, "cannot listen: not started");
    process.exit(1);
  });
  server.listen(config.PORT, config.HOST, () => {
    const { port } = server.address() as AddressInfo;
    log.info({ port, host: config.HOST ?? "*" }, "listening");
    onListening(port);
  });
}
