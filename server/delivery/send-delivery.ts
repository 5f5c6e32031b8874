import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { brotliDecompressSync, constants, gunzipSync, inflateSync } from "node:zlib";
import { decodeAnswer } from "@/server/delivery/read-answer";
import type { AttemptResult } from "@/server/delivery/retry-policy";

export const RESPONSE_BODY_LOG_LIMIT = 8192;
/** Bytes of an answer read before the rest is dropped (the log keeps RESPONSE_BODY_LOG_LIMIT of them). */
const READ_LIMIT = RESPONSE_BODY_LOG_LIMIT * 4;

export type OutboundRequest = {
  url: string;
  token?: string;
  payload: string;
  deliveryId: string;
  attemptNo: number;
  timeoutMs: number;
};

/**
 * How long (ms) an idle kept-alive socket is kept: as Node's global agent, under
 * the 5 s a Node server keeps one open. The agent shortens it to a server's
 * `Keep-Alive: timeout=` hint less a second, but only when it has a timeout of
 * its own (Node 20 _http_agent.js keepSocketAlive): without one an idle socket
 * waits until the other side closes it, and a send that meets the close is reset.
 */
const IDLE_SOCKET_MS = 4000;

/**
 * One keep-alive pool per scheme for every attempt of the process. node:http,
 * not fetch: fetch (undici's, in Node 20) with a per-request
 * `AbortSignal.timeout` was about half of the worker's CPU; a keep-alive
 * `http.request` with one timer costs about a fifth of it per request
 * (measured side by side in one process against a local server, issue 13:
 * ~450 µs vs ~85 µs CPU a request). undici's own `request` is
 * no cheaper once it has an abort signal, and is not a dependency.
 */
const keepAlive = { keepAlive: true, timeout: IDLE_SOCKET_MS };
const agents = { "http:": new http.Agent(keepAlive), "https:": new https.Agent(keepAlive) };

class AttemptTimeout extends Error {
  override name = "TimeoutError";
}

/**
 * One HTTP attempt: POST the payload, read the answer (at most READ_LIMIT
 * bytes). Never throws: a network failure is a result like any other. The
 * time limit (`timeoutMs`) covers the whole attempt — connecting, the headers
 * and the body — with one timer. A redirect is not followed (a redirect from a
 * partner is a misconfiguration to fix, not something to follow with a body).
 */
export async function sendDelivery(request: OutboundRequest): Promise<AttemptResult> {
  const connection = { open: false };
  try {
    const { response, body } = await post(request, connection);
    const bodyText = decodeAnswer(decoded(body, response.headers["content-encoding"]), response.headers["content-type"] ?? null);
    return {
      kind: "answered",
      status: response.statusCode ?? 0,
      bodyText,
      retryAfter: headerText(response.headers["retry-after"]),
      location: response.headers.location ?? null,
    };
  } catch (error) {
    // Whether the body may have arrived is judged from this (server/delivery/may-have-arrived.ts).
    return { kind: "error", error: describeError(error, request.timeoutMs, connection.open), connected: connection.open };
  }
}

/**
 * `connection.open` becomes true once the request has a connected socket (a
 * kept-alive one at once, a new one on its TCP connect): from then on bytes of
 * the body may reach the other side. Before it — a refused connection, a DNS
 * failure, a connect that times out — nothing was sent.
 */
function post(request: OutboundRequest, connection: { open: boolean }): Promise<{ response: IncomingMessage; body: Buffer }> {
  const payload = Buffer.from(request.payload, "utf8");
  const headers: Record<string, string | number> = {
    "content-type": "application/json; charset=utf-8",
    "content-length": payload.byteLength,
    "x-hub-delivery-id": request.deliveryId,
    "x-hub-attempt": request.attemptNo,
  };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  const url = new URL(request.url);
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new Error(`unsupported protocol ${url.protocol}`));
  return new Promise((resolve, reject) => {
    const sent = (url.protocol === "https:" ? https : http).request(url, { method: "POST", headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.byteLength;
        // Enough for the log: the rest is dropped with its connection.
        if (size > READ_LIMIT) finish(() => resolve({ response, body: Buffer.concat(chunks) }), true);
      });
      response.on("end", () => finish(() => resolve({ response, body: Buffer.concat(chunks) })));
      response.on("error", (error) => finish(() => reject(error)));
      response.on("close", () => {
        if (!response.complete) finish(() => reject(Object.assign(new Error("other side closed before the answer's end"), { code: "ECONNRESET" })));
      });
    });
    let done = false;
    const timer = setTimeout(() => {
      const error = new AttemptTimeout();
      finish(() => reject(error));
      sent.destroy(error);
    }, request.timeoutMs);
    function finish(settle: () => void, dropConnection = false) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (dropConnection) sent.destroy();
      settle();
    }
    sent.on("socket", (socket) => {
      if (!socket.connecting) connection.open = true;
      else socket.once("connect", () => (connection.open = true));
    });
    sent.on("error", (error) => finish(() => reject(error)));
    sent.end(payload);
  });
}

/** The answer's bytes as sent, for a server that compresses though we never asked (the cut end of a capped body is dropped). */
function decoded(body: Buffer, encoding: string | undefined): Buffer {
  const flush = { finishFlush: constants.Z_SYNC_FLUSH };
  try {
    switch (encoding?.trim().toLowerCase()) {
      case "gzip":
      case "x-gzip":
        return gunzipSync(body, flush);
      case "deflate":
        return inflateSync(body, flush);
      case "br":
        return brotliDecompressSync(body, { finishFlush: constants.BROTLI_OPERATION_FLUSH });
      default:
        return body;
    }
  } catch {
    return body;
  }
}

const headerText = (value: string | string[] | undefined): string | null => (Array.isArray(value) ? value.join(", ") : (value ?? null));

function describeError(error: unknown, timeoutMs: number, connected: boolean): string {
  if (error instanceof AttemptTimeout) return connected ? `no answer within ${timeoutMs} ms` : `connect timeout: no connection within ${timeoutMs} ms`;
  const err = error as { message?: string; code?: string };
  const message = err.message ?? String(error);
  return err.code && !message.includes(err.code) ? `${message}: ${err.code}` : message;
}
