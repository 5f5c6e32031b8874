import type { ServerResponse } from "node:http";
import { createConnection, type AddressInfo, type Socket } from "node:net";
import { afterEach, expect, test } from "vitest";
import { createHubServer, drainHubServer } from "@/server/http-server";

// SIGTERM's drain of the HTTP side (SPEC §9 "SIGTERM drains", drainHubServer):
// a partner call being handled when the drain starts — e.g. a void waiting for
// the other side's answer — finishes and its caller gets the answer; a call that
// still arrives on a kept-alive connection is turned away with 503; the drain
// ends once the calls are answered, or at the grace.

type Held = { res: ServerResponse; release: (body: string) => void };

/** A hub server whose partner calls wait until the test releases them (`held`, in arrival order). */
async function heldServer(options: { headersFirst?: boolean } = {}) {
  const held: Held[] = [];
  const server = createHubServer(
    (req, res) => {
      if (req.method !== "POST") return res.end("ok");
      req.resume();
      if (options.headersFirst) {
        res.writeHead(200, { "content-type": "application/json", "content-length": 16 });
        res.flushHeaders();
      }
      held.push({ res, release: (body) => (res.headersSent ? res.end(body) : res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body)) });
    },
    { HTTP_HEADERS_TIMEOUT_MS: 10_000, HTTP_REQUEST_TIMEOUT_MS: 30_000, TRUSTED_PROXY_HOPS: 0 },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { server, held, port: (server.address() as AddressInfo).port };
}

const servers: ReturnType<typeof createHubServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A raw connection: everything the server sends on it, and whether it has closed. */
function connect(port: number) {
  const socket: Socket = createConnection({ port, host: "127.0.0.1" });
  const seen = { text: "", closed: false };
  socket.on("data", (chunk: Buffer) => (seen.text += chunk.toString("utf8")));
  socket.on("error", () => {});
  socket.on("close", () => (seen.closed = true));
  return { socket, seen };
}

const voidCall = (path = "/pos/orderremove") => `POST ${path} HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`;
const ANSWER = '{"success":true}';

test("a partner call being handled when the drain starts finishes and its caller gets the answer, then the connection closes", async () => {
  const { server, held, port } = await heldServer();
  const caller = connect(port);
  caller.socket.write(voidCall());
  await expect.poll(() => held.length).toBe(1);

  let settled: { unanswered: number } | undefined;
  const drained = drainHubServer(server, 60_000).then((result) => (settled = result));
  // No new connections from now on.
  expect(server.listening).toBe(false);
  // Waiting for the other side's answer: the drain waits too, the caller's connection stays.
  await new Promise((resolve) => setImmediate(resolve));
  expect(settled).toBeUndefined();
  expect(caller.seen.closed).toBe(false);

  held[0]!.release(ANSWER);
  await expect.poll(() => caller.seen.closed).toBe(true);
  expect(caller.seen.text).toMatch(/^HTTP\/1\.1 200 /);
  expect(caller.seen.text).toMatch(/^connection: close\r$/im);
  expect(caller.seen.text.endsWith(ANSWER)).toBe(true);
  expect(await drained).toEqual({ unanswered: 0 });
});

test("a call arriving on a kept-alive connection during the drain is answered 503 + Retry-After + Connection: close", async () => {
  // The first call's headers are out before the drain starts: its connection is kept alive, and the caller sends another on it.
  const { server, held, port } = await heldServer({ headersFirst: true });
  const caller = connect(port);
  caller.socket.write(voidCall());
  await expect.poll(() => held.length).toBe(1);
  let requests = 0;
  server.on("request", () => requests++);
  const drained = drainHubServer(server, 60_000);
  caller.socket.write(voidCall("/pos/ordermake"));
  // Node reads a call sent behind another at once (its answer waits its turn).
  await expect.poll(() => requests).toBe(1);

  held[0]!.release(ANSWER);
  await expect.poll(() => caller.seen.closed).toBe(true);
  const [first, second] = caller.seen.text.split(/(?=HTTP\/1\.1 )/);
  expect(first).toMatch(/^HTTP\/1\.1 200 /);
  expect(first!.endsWith(ANSWER)).toBe(true);
  expect(second).toMatch(/^HTTP\/1\.1 503 /);
  expect(second).toMatch(/^retry-after: \d+\r$/im);
  expect(second).toMatch(/^connection: close\r$/im);
  // The second call never reached the handler.
  expect(held).toHaveLength(1);
  expect(await drained).toEqual({ unanswered: 0 });
});

test("an idle kept-alive connection is closed when the drain starts; with no call in flight the drain ends at once", async () => {
  const { server, port } = await heldServer();
  const idle = connect(port);
  idle.socket.write("GET /api/health HTTP/1.1\r\nHost: hub\r\n\r\n");
  await expect.poll(() => idle.seen.text).toMatch(/ok$/);
  expect(await drainHubServer(server, 60_000)).toEqual({ unanswered: 0 });
  await expect.poll(() => idle.seen.closed).toBe(true);
});

test("a call still unanswered at the grace is cut, and the drain says how many were", async () => {
  const { server, held, port } = await heldServer();
  const caller = connect(port);
  caller.socket.write(voidCall());
  await expect.poll(() => held.length).toBe(1);
  expect(await drainHubServer(server, 50)).toEqual({ unanswered: 1 });
  await expect.poll(() => caller.seen.closed).toBe(true);
  expect(caller.seen.text).toBe("");
});
