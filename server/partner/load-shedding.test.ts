import { createConnection, type AddressInfo, type Socket } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { getConfig, setConfigForTests } from "@/server/config";
import { createHubServer } from "@/server/http-server";
import { hubMetrics } from "@/server/metrics";
import { BUSY_ANSWER, instanceAdmission, useConnections } from "@/server/partner/admission";
import { eventLoopDelayMs, partnerEndpointOf } from "@/server/partner/load-shedding";

// Load shedding in node:http, before the app (issue 13): while the admission
// queue is full or the event loop runs late, a partner POST gets the route's own
// 503 + Retry-After without reaching the handler; anything else goes through.

const reached: string[] = [];
const server = createHubServer(
  async (req, res) => {
    for await (const chunk of req) void chunk;
    reached.push(`${req.method} ${req.url}`);
    res.end("{}");
  },
  { HTTP_HEADERS_TIMEOUT_MS: 10_000, HTTP_REQUEST_TIMEOUT_MS: 30_000, TRUSTED_PROXY_HOPS: 0 },
);
let url: string;

beforeAll(async () => {
  // A wait long enough that the calls queued below are still waiting when the test lets them go on.
  setConfigForTests({ PARTNER_CALLS_IN_FLIGHT: 3, PARTNER_QUEUE_WAIT_MS: 60_000, PARTNER_SHED_EVENT_LOOP_DELAY_MS: 200 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (path: string) => fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ dispatchNO: "DN-1" }) });

/** A connected socket; `send` writes a partner POST on it at once and resolves with the answer's status. */
async function connected(): Promise<{ send: (path: string) => Promise<number> }> {
  const socket: Socket = createConnection({ port: Number(new URL(url).port), host: "127.0.0.1" });
  await new Promise((resolve) => socket.once("connect", resolve));
  return {
    send(path) {
      const answer = new Promise<number>((resolve) => socket.once("data", (chunk: Buffer) => (resolve(Number(chunk.toString().split(" ")[1])), socket.destroy())));
      socket.write(`POST ${path} HTTP/1.1\r\nhost: hub\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}`);
      return answer;
    },
  };
}

async function unavailableCount(path: string): Promise<number> {
  const metric = await hubMetrics().callsIn.get();
  return metric.values.find((value) => value.labels.path === path && value.labels.outcome === "unavailable")?.value ?? 0;
}

test("partner paths are POSTs to the contract's paths, with or without a query", () => {
  expect(partnerEndpointOf("POST", "/pos/ordermake")?.side).toBe("pos");
  expect(partnerEndpointOf("POST", "/oms/receive?x=1")?.path).toBe("/oms/receive");
  expect(partnerEndpointOf("GET", "/pos/ordermake")).toBeUndefined();
  expect(partnerEndpointOf("POST", "/api/trpc/notices.list")).toBeUndefined();
});

test("with the admission queue full, partner calls are answered 503 + Retry-After in node:http and counted; other requests go through", async () => {
  useConnections(1);
  const admission = instanceAdmission();
  // PARTNER_CALLS_IN_FLIGHT (3) calls: one running, two waiting for the one connection.
  const running = await admission.enter();
  const waiting = [admission.enter(), admission.enter()];
  expect(admission.full).toBe(true);
  const before = await unavailableCount("/pos/ordermake");
  reached.length = 0;

  const answers = await Promise.all([post("/pos/ordermake"), post("/pos/ordermake")]);
  for (const answer of answers) {
    expect(answer.status).toBe(BUSY_ANSWER.status);
    expect(answer.headers.get("retry-after")).toBe(BUSY_ANSWER.headers["retry-after"]);
    expect(await answer.json()).toEqual(BUSY_ANSWER.body);
  }
  expect(await unavailableCount("/pos/ordermake")).toBe(before + 2);
  // Not a partner call: the app answers it whatever the load.
  expect((await fetch(`${url}/api/health`)).status).toBe(200);
  expect(reached).toEqual(["GET /api/health"]);

  // Room again: the call reaches the app.
  running!();
  (await waiting[0])!();
  (await waiting[1])!();
  expect(admission.full).toBe(false);
  expect((await post("/pos/ordermake")).status).toBe(200);
  expect(reached).toEqual(["GET /api/health", "POST /pos/ordermake"]);
});

test("while the event loop runs late, partner calls are answered 503 before the app; once it catches up they go through", async () => {
  reached.length = 0;
  // The call waits in its socket while the loop is blocked: the server reads it ~400 ms late.
  const call = (await connected()).send("/oms/receive");
  const until = performance.now() + 2 * getConfig().PARTNER_SHED_EVENT_LOOP_DELAY_MS;
  while (performance.now() < until) {
    // busy: the event loop turns no more
  }
  expect(eventLoopDelayMs()).toBeGreaterThan(getConfig().PARTNER_SHED_EVENT_LOOP_DELAY_MS);
  expect(await call).toBe(503);
  expect(reached).toEqual([]);

  await expect.poll(() => eventLoopDelayMs(), { interval: 50, timeout: 5000 }).toBeLessThan(getConfig().PARTNER_SHED_EVENT_LOOP_DELAY_MS);
  expect((await post("/oms/receive")).status).toBe(200);
  expect(reached).toEqual(["POST /oms/receive"]);
});
