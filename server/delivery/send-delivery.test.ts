import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { spawn } from "node:child_process";
import { connect, type AddressInfo, type Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, expect, test } from "vitest";
import { RESPONSE_BODY_LOG_LIMIT, sendDelivery, type OutboundRequest } from "@/server/delivery/send-delivery";

// sendDelivery against a real HTTP server on loopback: what arrives, and every
// way an answer can go wrong, each a result and never a throw.

type Seen = { method?: string; url?: string; headers: IncomingMessage["headers"]; body: string; socket: unknown };
const seen: Seen[] = [];
let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('{"success":true}');
const server = createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    seen.push({ method: req.method, url: req.url, headers: req.headers, body, socket: req.socket });
    handle(req, res);
  });
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request = (over: Partial<OutboundRequest> = {}): OutboundRequest => ({
  url: `${base}/pos/ordermake`,
  token: "t0ken",
  payload: '{"dispatchNO":"DN-1","收件人":"张三"}',
  deliveryId: "0b9c1f1e-1111-4222-8333-444455556666",
  attemptNo: 3,
  timeoutMs: 2000,
  ...over,
});

test("posts the payload with its length, token, delivery id and attempt, and reads the answer", async () => {
  seen.length = 0;
  handle = (_req, res) => res.writeHead(200, { "content-type": "application/json", "retry-after": "7" }).end('{"success":true,"msg":"好"}');
  const result = await sendDelivery(request());
  expect(result).toEqual({ kind: "answered", status: 200, bodyText: '{"success":true,"msg":"好"}', retryAfter: "7", location: null });
  const [call] = seen;
  expect(call).toMatchObject({ method: "POST", url: "/pos/ordermake", body: '{"dispatchNO":"DN-1","收件人":"张三"}' });
  expect(call!.headers).toMatchObject({
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(request().payload)),
    authorization: "Bearer t0ken",
    "x-hub-delivery-id": "0b9c1f1e-1111-4222-8333-444455556666",
    "x-hub-attempt": "3",
  });
  expect(call!.headers["transfer-encoding"]).toBeUndefined();
});

test("attempts one after another share a kept-alive connection", async () => {
  seen.length = 0;
  handle = (_req, res) => res.end('{"success":true}');
  for (let i = 0; i < 3; i++) expect(await sendDelivery(request())).toMatchObject({ kind: "answered", status: 200 });
  expect(new Set(seen.map((call) => call.socket)).size).toBe(1);
});

test("a redirect is an answer with its location, not followed", async () => {
  seen.length = 0;
  handle = (_req, res) => res.writeHead(302, { location: "http://elsewhere.test/x" }).end();
  expect(await sendDelivery(request())).toMatchObject({ kind: "answered", status: 302, location: "http://elsewhere.test/x" });
  expect(seen).toHaveLength(1);
});

test("no headers within the time limit: an error naming the limit, the connection may have carried the body", async () => {
  handle = () => {};
  expect(await sendDelivery(request({ timeoutMs: 150 }))).toEqual({ kind: "error", error: "no answer within 150 ms", connected: true });
});

test("the time limit covers the body: one that trickles past it is no answer", async () => {
  handle = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"success":');
    const timer = setInterval(() => res.write(" "), 30);
    res.on("close", () => clearInterval(timer));
  };
  expect(await sendDelivery(request({ timeoutMs: 200 }))).toEqual({ kind: "error", error: "no answer within 200 ms", connected: true });
});

test("a connection reset is an error that may have arrived", async () => {
  handle = (req) => req.socket.resetAndDestroy();
  const result = await sendDelivery(request());
  expect(result).toMatchObject({ kind: "error", connected: true });
  expect(result.kind === "error" && result.error).toMatch(/ECONNRESET|socket|other side closed/i);
});

test("the other side closing mid-body is an error, not a short answer", async () => {
  handle = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
    res.write('{"success":');
    setTimeout(() => res.socket?.destroy(), 20);
  };
  expect(await sendDelivery(request())).toMatchObject({ kind: "error", connected: true });
});

test("a refused connection never carried the body", async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const result = await sendDelivery(request({ url: `http://127.0.0.1:${port}/pos/ordermake` }));
  expect(result).toMatchObject({ kind: "error", connected: false });
  expect(result.kind === "error" && result.error).toMatch(/ECONNREFUSED/);
});

test("a connect that times out never carried the body", async () => {
  // A listener (in a process whose event loop is then blocked) that accepts nothing: once its accept
  // queue (backlog 1: two connections on Linux) is full, later SYNs are dropped and a connect hangs.
  const listener = spawn(process.execPath, ["-e", `
    const server = require("node:net").createServer();
    server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () =>
      process.stdout.write(server.address().port + "\\n", () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)));
  `], { stdio: ["ignore", "pipe", "inherit"] });
  const fillers: Socket[] = [];
  try {
    const port = await new Promise<number>((resolve) => listener.stdout.once("data", (data) => resolve(Number(String(data).trim()))));
    for (let i = 0; i < 2; i++) {
      const filler = connect(port, "127.0.0.1");
      fillers.push(filler);
      await new Promise((resolve) => filler.once("connect", resolve));
    }
    expect(await sendDelivery(request({ url: `http://127.0.0.1:${port}/pos/ordermake`, timeoutMs: 300 }))).toEqual({
      kind: "error",
      error: "connect timeout: no connection within 300 ms",
      connected: false,
    });
  } finally {
    fillers.forEach((filler) => filler.destroy());
    listener.kill();
  }
});

test("a URL it cannot send to is an error, not a throw", async () => {
  expect(await sendDelivery(request({ url: "ftp://example.test/x" }))).toMatchObject({ kind: "error" });
  expect(await sendDelivery(request({ url: "not a url" }))).toMatchObject({ kind: "error" });
});

test("a huge answer is read only as far as the log needs", async () => {
  handle = (_req, res) => res.writeHead(500).end("x".repeat(1_000_000));
  const result = await sendDelivery(request());
  expect(result).toMatchObject({ kind: "answered", status: 500 });
  const length = result.kind === "answered" ? result.bodyText.length : 0;
  expect(length).toBeGreaterThanOrEqual(RESPONSE_BODY_LOG_LIMIT);
  expect(length).toBeLessThan(1_000_000);
});

test("a compressed answer is read as its text, by its charset", async () => {
  handle = (_req, res) =>
    res.writeHead(200, { "content-type": "application/json; charset=gbk", "content-encoding": "gzip" }).end(
      gzipSync(Buffer.from([0x7b, 0x22, 0x6d, 0x73, 0x67, 0x22, 0x3a, 0x22, 0xba, 0xc3, 0x22, 0x7d])),
    );
  expect(await sendDelivery(request())).toMatchObject({ kind: "answered", bodyText: '{"msg":"好"}' });
});
