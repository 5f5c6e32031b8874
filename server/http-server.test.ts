import type { AddressInfo } from "node:net";
import { createConnection } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createHubServer } from "@/server/http-server";

const STREAMED_EVENTS = 10;

const server = createHubServer(
  async (req, res) => {
    if (req.url === "/stream") return streamPastTheRequestTimeout(res);
    let size = 0;
    try {
      for await (const chunk of req) size += (chunk as Buffer).length;
    } catch {
      return; // cut by the server's limit: nobody to answer
    }
    res.end(JSON.stringify({ size }));
  },
  { HTTP_HEADERS_TIMEOUT_MS: 1000, HTTP_REQUEST_TIMEOUT_MS: 2000, TRUSTED_PROXY_HOPS: 0 },
);
let port: number;

/** Like the live updates' SSE stream (server/live): an event every 300 ms, 3 s in all, past the 2 s request limit. */
function streamPastTheRequestTimeout(res: import("node:http").ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  let sent = 0;
  const timer = setInterval(() => {
    res.write(`data: ${++sent}\n\n`);
    if (sent === STREAMED_EVENTS) {
      clearInterval(timer);
      res.end();
    }
  }, 300);
}
beforeAll(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => ((port = (server.address() as AddressInfo).port), resolve()))));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends `head`, then one body byte every `everyMs` until the server answers or closes; returns what it said. */
function trickle(head: string, bodyBytes: number, everyMs: number): Promise<{ answer: string; bytesSent: number }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    let answer = "";
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < bodyBytes && !socket.destroyed) {
        socket.write("x");
        sent++;
      }
    }, everyMs);
    socket.on("connect", () => socket.write(head));
    socket.on("data", (chunk) => (answer += chunk.toString("utf8")));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ answer, bytesSent: sent });
    });
    setTimeout(() => reject(new Error("the server never cut the connection")), 20_000).unref();
  });
}

test("a body trickled a byte at a time is cut with 408 when the request time is up", async () => {
  const { answer, bytesSent } = await trickle("POST /pos/ordermake HTTP/1.1\r\nHost: hub\r\nContent-Length: 100\r\n\r\n", 100, 500);
  expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  expect(bytesSent).toBeLessThan(100);
});

test("headers that never end are cut too", async () => {
  const { answer } = await trickle("POST /pos/ordermake HTTP/1.1\r\nHost: hub\r\nX-Slow: ", 1000, 200);
  expect(answer).toMatch(/^HTTP\/1\.1 408 /);
});

test("a request sent in time is answered", async () => {
  const response = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "x".repeat(1000) });
  expect(await response.json()).toEqual({ size: 1000 });
});

test("a response streamed longer than the request limit is not cut: the limits are on receiving the request (SSE live updates)", async () => {
  const response = await fetch(`http://127.0.0.1:${port}/stream`);
  const body = await response.text();
  expect(body.match(/^data: \d+$/gm)).toHaveLength(STREAMED_EVENTS);
});

describe("the client address handed to the app", () => {
  /** A server whose handler answers the X-Forwarded-For it was given. */
  async function addressSeen(trustedProxyHops: number, headers: Record<string, string>) {
    const echo = createHubServer((req, res) => res.end(String(req.headers["x-forwarded-for"])), {
      HTTP_HEADERS_TIMEOUT_MS: 1000,
      HTTP_REQUEST_TIMEOUT_MS: 2000,
      TRUSTED_PROXY_HOPS: trustedProxyHops,
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(echo.address() as AddressInfo).port}/`, { headers });
      return await response.text();
    } finally {
      await new Promise((resolve) => echo.close(resolve));
    }
  }

  test("with no proxy of ours, the socket's peer: a partner cannot choose its address with X-Forwarded-For", async () => {
    expect(await addressSeen(0, { "x-forwarded-for": "203.0.113.66", "x-real-ip": "203.0.113.67" })).toBe("127.0.0.1");
    expect(await addressSeen(0, {})).toBe("127.0.0.1");
  });

  test("behind n trusted proxies, the n-th entry from the right", async () => {
    expect(await addressSeen(1, { "x-forwarded-for": "10.9.9.9, 198.51.100.4" })).toBe("198.51.100.4");
    expect(await addressSeen(2, { "x-forwarded-for": "1.1.1.1, 198.51.100.4, 10.0.0.2" })).toBe("198.51.100.4");
    // Fewer entries than hops: the leftmost; none at all: the socket's peer.
    expect(await addressSeen(3, { "x-forwarded-for": "198.51.100.4" })).toBe("198.51.100.4");
    expect(await addressSeen(1, {})).toBe("127.0.0.1");
  });
});
