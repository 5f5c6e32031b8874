import { request } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseBehaviour } from "@/test/fakes/behaviour";
import { startFakeCounterpart, type FakeCounterpart } from "@/test/fakes/fake-counterpart";

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

/** A plain HTTP client, one fresh connection per call, so socket-level behaviour is observed as a caller sees it. */
function post(url: string, path: string, body: unknown, options: { token?: string; timeoutMs?: number; headers?: Record<string, string> } = {}) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      url + path,
      {
        method: "POST",
        agent: false,
        timeout: options.timeoutMs ?? 2000,
        headers: {
          "content-type": "application/json",
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("client timeout"), { code: "CLIENT_TIMEOUT" })));
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

const fakes: FakeCounterpart[] = [];
async function start(options: { token?: string } = {}) {
  const fake = await startFakeCounterpart({ name: "oms", ...options });
  fakes.push(fake);
  return fake;
}

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

const order = { dispatchNO: "DN0001", shopCode: "S001" };

describe("fake counterpart", () => {
  it("answers success and records the call with the delivery headers", async () => {
    const fake = await start();
    const reply = await post(fake.url, "/pos/ordermake", order, {
      headers: { "x-hub-delivery-id": "0190c0de-0000-7000-8000-000000000001", "x-hub-attempt": "3" },
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual({ success: true });
    const [call] = fake.received;
    expect(call).toMatchObject({
      path: "/pos/ordermake",
      deliveryId: "0190c0de-0000-7000-8000-000000000001",
      attempt: 3,
      json: order,
      answer: "success",
    });
    expect(call?.body).toBe(JSON.stringify(order));
  });

  it("refuses with the business message, per path over the general behaviour", async () => {
    const fake = await start();
    fake.setBehaviourFor("/pos/orderremove", { kind: "refuse", msg: "通知单已经出库" });
    expect(JSON.parse((await post(fake.url, "/pos/orderremove", order)).text)).toEqual({ success: false, msg: "通知单已经出库" });
    expect(JSON.parse((await post(fake.url, "/pos/ordermake", order)).text)).toEqual({ success: true });
    fake.setBehaviourFor("/pos/orderremove", null);
    expect(JSON.parse((await post(fake.url, "/pos/orderremove", order)).text)).toEqual({ success: true });
  });

  it("answers a chosen status with its headers, 429 with Retry-After", async () => {
    const fake = await start();
    await fake.setBehaviour({ kind: "status", status: 429, headers: { "retry-after": "7" } });
    const reply = await post(fake.url, "/pos/checkout", order);
    expect(reply.status).toBe(429);
    expect(reply.headers["retry-after"]).toBe("7");
    await fake.setBehaviour({ kind: "status", status: 502, body: "bad gateway" });
    expect(await post(fake.url, "/pos/checkout", order)).toMatchObject({ status: 502, text: "bad gateway" });
  });

  it("answers 200 with a body that is not JSON", async () => {
    const fake = await start();
    await fake.setBehaviour({ kind: "not-json" });
    const reply = await post(fake.url, "/pos/refund", order);
    expect(reply.status).toBe(200);
    expect(() => JSON.parse(reply.text)).toThrow();
  });

  it("redirects", async () => {
    const fake = await start();
    await fake.setBehaviour({ kind: "redirect", location: "http://127.0.0.1:1/elsewhere" });
    const reply = await post(fake.url, "/pos/refund", order);
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe("http://127.0.0.1:1/elsewhere");
  });

  it("answers late when slow: not before its time has passed", async () => {
    const fake = await start();
    await fake.setBehaviour({ kind: "slow", ms: 300, then: { kind: "refuse", msg: "慢" } });
    // The fake's delay is a timer: driven by hand, it shows when the answer goes out, whatever the machine's load.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const reply = post(fake.url, "/pos/refuse", order);
      // (Not vi.waitUntil: under fake timers it moves the clock as it polls.)
      await fake.waitFor(() => true);
      vi.advanceTimersByTime(299);
      expect(fake.unanswered).toBe(1);
      vi.advanceTimersByTime(1);
      expect(fake.unanswered).toBe(0);
      expect(JSON.parse((await reply).text)).toEqual({ success: false, msg: "慢" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("holds answers until released, then answers each as its behaviour says", async () => {
    const fake = await start();
    await fake.setBehaviour({ kind: "refuse", msg: "稍后" });
    const release = fake.holdAnswers();
    const replies = [post(fake.url, "/pos/refuse", order), post(fake.url, "/pos/refund", order)];
    await vi.waitUntil(() => fake.unanswered === 2, { timeout: 5000 });
    release();
    for (const reply of await Promise.all(replies)) expect(JSON.parse(reply.text)).toEqual({ success: false, msg: "稍后" });
    expect(fake.unanswered).toBe(0);
    // Released for good: the next call is answered at once.
    expect((await post(fake.url, "/pos/refuse", order)).status).toBe(200);
  });

  it("numbers arrivals across fakes in the order they came", async () => {
    const [pos, oms] = [await start(), await start()];
    await post(oms.url, "/pos/ordermake", order);
    await post(pos.url, "/oms/delivery/package", order);
    await post(oms.url, "/pos/refund", order);
    expect(oms.received[0]!.seq).toBeLessThan(pos.received[0]!.seq);
    expect(pos.received[0]!.seq).toBeLessThan(oms.received[1]!.seq);
  });

  it("never answers when hanging: the caller times out", async () => {
    const fake = await start();
    await fake.setBehaviour({ kind: "hang" });
    await expect(post(fake.url, "/pos/refuse", order, { timeoutMs: 300 })).rejects.toMatchObject({ code: "CLIENT_TIMEOUT" });
    expect(fake.received).toHaveLength(1);
  });

  it("tears the connection down when told to reset", async () => {
    const fake = await start();
    await fake.setBehaviour({ kind: "reset" });
    await expect(post(fake.url, "/pos/refuse", order)).rejects.toMatchObject({ code: "ECONNRESET" });
  });

  it("refuses connections when down and comes back on the same port", async () => {
    const fake = await start();
    const port = fake.port;
    // A keep-alive connection opened before the outage must not keep reaching the fake.
    expect((await fetch(fake.url + "/pos/ordermake", { method: "POST", body: "{}" })).status).toBe(200);
    await fake.setBehaviour({ kind: "down" });
    await expect(fetch(fake.url + "/pos/ordermake", { method: "POST", body: "{}" })).rejects.toThrow();
    expect(fake.isDown).toBe(true);
    await expect(post(fake.url, "/pos/ordermake", order)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await fake.setBehaviour({ kind: "status", status: 500 });
    expect(fake.port).toBe(port);
    expect((await post(fake.url, "/pos/ordermake", order)).status).toBe(500);
    await fake.reset();
    expect(fake.received).toHaveLength(0);
    expect((await post(fake.url, "/pos/ordermake", order)).status).toBe(200);
  });

  it("fails a seeded share of requests the same way every time", async () => {
    const fake = await start();
    const run = async () => {
      await fake.setBehaviour({ kind: "flaky", failRate: 0.5, seed: 42, then: { kind: "success" } });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await post(fake.url, "/pos/checkout", order)).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it("checks the bearer token when it has one", async () => {
    const fake = await start({ token: "oms-secret" });
    expect((await post(fake.url, "/pos/ordermake", order)).status).toBe(401);
    expect((await post(fake.url, "/pos/ordermake", order, { token: "wrong" })).status).toBe(401);
    expect((await post(fake.url, "/pos/ordermake", order, { token: "oms-secret" })).status).toBe(200);
    expect(fake.received.map((call) => call.authorized)).toEqual([false, false, true]);
  });

  it("waits for a call that is still to come, and says what it saw when it does not come", async () => {
    const fake = await start();
    const waiting = fake.waitFor((call) => call.path === "/pos/checkout", 2000);
    await post(fake.url, "/pos/ordermake", order);
    await post(fake.url, "/pos/checkout", order);
    expect((await waiting).path).toBe("/pos/checkout");
    await expect(fake.waitFor((call) => call.path === "/pos/refund", 100)).rejects.toThrow(/\/pos\/ordermake \(success\)/);
  });

  it("reads the CLI's behaviour text", () => {
    expect(parseBehaviour("slow 2000 status 502")).toEqual({ kind: "slow", ms: 2000, then: { kind: "status", status: 502 } });
    expect(parseBehaviour("refuse 通知单已作废")).toEqual({ kind: "refuse", msg: "通知单已作废" });
    expect(() => parseBehaviour("status soon")).toThrow(/needs a number/);
  });
});
