// A store POS in a process of its own: POSTs fresh `pos/ordermake` bodies to
// --url at a fixed --rate (req/s) for --seconds, each on its own schedule slot
// (a slow answer does not delay the next call, as a real store's tills would
// not wait for each other), with a keep-alive agent of up to --sockets
// connections. Prints one JSON line: per-call send time (epoch ms), dispatchNO,
// status or socket error code, and answer time (ms). Used by bench/fresh-start.ts
// to measure accept → delivered from outside the hub, and by
// test/partner/overload.test.ts for a burst (a rate of thousands per second).
import { Agent, request } from "node:http";
import { parseArgs } from "node:util";
import { storeOrderBodies } from "@/bench/lib/store-orders";

export type ProbeCall = { dispatchNo: string; sentAt: number; status: number | null; retryAfter?: string; error?: string; answerMs: number };

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    rate: { type: "string", default: "20" },
    seconds: { type: "string", default: "10" },
    token: { type: "string", multiple: true },
    sockets: { type: "string", default: "256" },
    stream: { type: "string", default: "900" },
  },
});
const target = new URL(values.url ?? "http://127.0.0.1:3000/pos/ordermake");
const rate = Number(values.rate);
const total = Math.round(rate * Number(values.seconds));
const tokens = values.token?.length ? values.token : ["bench-pos-token"];
const agent = new Agent({ keepAlive: true, maxSockets: Number(values.sockets) });
const next = storeOrderBodies(Number(values.stream));

function send(index: number): Promise<ProbeCall> {
  const { dispatchNo, body } = next();
  const sentAt = Date.now();
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number | null, error?: string, retryAfter?: string) =>
      resolve({ dispatchNo, sentAt, status, ...(error ? { error } : {}), ...(retryAfter ? { retryAfter } : {}), answerMs: performance.now() - started });
    const call = request(
      target,
      {
        method: "POST",
        agent,
        // Calls spread over the tokens, as several stores' tills would.
        headers: { "content-type": "application/json", authorization: `Bearer ${tokens[index % tokens.length]}`, "content-length": Buffer.byteLength(body) },
        timeout: 30_000,
      },
      (response) => {
        response.resume();
        response.on("end", () => done(response.statusCode ?? null, undefined, response.headers["retry-after"]));
        response.on("error", (error: NodeJS.ErrnoException) => done(null, error.code ?? error.message));
      },
    );
    call.on("timeout", () => call.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    call.on("error", (error: NodeJS.ErrnoException) => done(null, error.code ?? error.message));
    call.end(body);
  });
}

const startedAt = performance.now();
const calls: Promise<ProbeCall>[] = [];
for (let index = 0; index < total; index++) {
  const due = startedAt + (index * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  calls.push(send(index));
}
const results = await Promise.all(calls);
agent.destroy();
console.log(JSON.stringify({ offered: rate, sendSeconds: (performance.now() - startedAt) / 1000, calls: results }));
