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
 * A draining server's answer to any request that reaches it (a kept-alive
 * connection's next call): the partners' BUSY_ANSWER, 503 + Retry-After, and
 * Connection: close so the caller's retry opens a connection to another
 * instance. The body is not read.
 */
function refuseWhileDraining(res: ServerResponse, partner: { side: string; path: string } | undefined, startedAt: number) {
  res.setHeader("connection", "close");
  if (partner) return shed(res, partner.side, partner.path, startedAt);
  res.writeHead(BUSY_ANSWER.status, { ...BUSY_ANSWER.headers, "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
  res.end("shutting down; retry\n");
}

/** Per server: whether it drains, and the partner calls it is answering (their responses, until closed). */
type CallsInFlight = { draining: boolean; calls: Set<ServerResponse>; onSettled?: () => void };
const callsOf = new WeakMap<Server, CallsInFlight>();

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
  const inFlight: CallsInFlight = { draining: false, calls: new Set() };
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
      if (inFlight.draining) return refuseWhileDraining(res, partner, startedAt);
      if (partner) {
        // Counted until its answer is sent or its connection closes: what a drain waits for.
        inFlight.calls.add(res);
        res.once("close", () => {
          inFlight.calls.delete(res);
          inFlight.onSettled?.();
        });
      }
      if (partner && shouldShed() && !isWarmUpCall(req.headers[WARM_UP_HEADER])) return shed(res, partner.side, partner.path, startedAt);
      req.headers["x-forwarded-for"] = clientAddressOnSocket(req.headers["x-forwarded-for"], req.socket.remoteAddress, config.TRUSTED_PROXY_HOPS);
      delete req.headers["x-real-ip"];
      void handler(req, res);
    },
  );
  watchEventLoop();
  // Longer than a load balancer's idle timeout is the usual advice; Node's default 5 s is shorter than most.
  server.keepAliveTimeout = 65_000;
  callsOf.set(server, inFlight);
  return server;
}

/**
 * SIGTERM's drain of the HTTP side (SPEC §9 "SIGTERM drains"): stops accepting
 * at once — the listening socket closes, idle keep-alive connections are
 * closed, a request that still arrives on a kept-alive connection is answered
 * 503 + Retry-After + Connection: close — and lets every partner call already
 * being handled finish and send its answer (with Connection: close when its
 * headers are not out yet), for up to `graceMs` (SHUTDOWN_GRACE_MS). Then every
 * connection left is closed (a live-updates stream, a call past the grace).
 * Resolves with the partner calls still unanswered at that point (0 normally).
 * Only partner calls are waited for: a dashboard request in flight may be cut.
 */
export function drainHubServer(server: Server, graceMs: number): Promise<{ unanswered: number }> {
  const inFlight = callsOf.get(server);
  if (!inFlight) throw new Error("drainHubServer: not a server from createHubServer");
  inFlight.draining = true;
  server.close();
  server.closeIdleConnections();
  for (const res of inFlight.calls) if (!res.headersSent) res.setHeader("connection", "close");
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      inFlight.onSettled = undefined;
      const unanswered = inFlight.calls.size;
      // A call already sent on a kept-alive connection behind the last answer is read once that answer is out
      // (next turn of the event loop): it gets its 503 before the connections go.
      setImmediate(() => {
        server.closeAllConnections();
        resolve({ unanswered });
      });
    };
    const timer = setTimeout(finish, graceMs);
    inFlight.onSettled = () => {
      if (inFlight.calls.size === 0) finish();
      // An answered call's kept-alive connection is idle now: closed before it carries another request.
      else setImmediate(() => server.closeIdleConnections());
    };
    if (inFlight.calls.size === 0) finish();
  });
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
