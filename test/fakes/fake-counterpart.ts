import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { compileAnswer, parseBehaviour, type Answer, type Behaviour, type Plan } from "@/test/fakes/behaviour";

// A stand-in for the store POS or the e-commerce OMS, receiving the hub's
// deliveries on 127.0.0.1 and answering however the test or simulation says.

export type ReceivedCall = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** X-Hub-Delivery-Id: the same on every attempt of one delivery. */
  deliveryId: string | undefined;
  /** X-Hub-Attempt. */
  attempt: number | undefined;
  authorized: boolean;
  body: string;
  /** The body parsed, or undefined when it is not JSON. */
  json: unknown;
  at: Date;
  /**
   * Arrival order across every fake in this process (1, 2, 3…): which of two
   * calls came first, where two `at` stamps may fall in the same millisecond.
   */
  seq: number;
  /** How the fake answered: "success", "refuse …", "status 500", "hang", "unauthorized"… */
  answer: string;
};

export type FakeCounterpartOptions = {
  name: "pos" | "oms";
  /** 0 (default) picks a free port; it is kept across down and up. */
  port?: number;
  /** When given, requests without `Authorization: Bearer <token>` get 401. */
  token?: string;
  /** Keep only the latest calls in `received` (a long simulation); all by default. */
  keepLast?: number;
  onCall?: (call: ReceivedCall) => void;
};

export type FakeCounterpart = {
  readonly name: "pos" | "oms";
  readonly url: string;
  readonly port: number;
  readonly isDown: boolean;
  /** Every call received since start or reset(), oldest first. */
  readonly received: ReceivedCall[];
  /** For every path; `down` closes the port, anything else (re)opens it. */
  setBehaviour(behaviour: Behaviour): Promise<void>;
  /** For one path, over the general behaviour; null goes back to the general one. */
  setBehaviourFor(path: string, answer: Answer | null): void;
  /** Calls received whose answer has not been written yet (slow, hanging or held). */
  readonly unanswered: number;
  /**
   * From now on, calls are recorded as they arrive but answered (each as its
   * behaviour says) only once the returned function is called: a test keeps
   * attempts in flight for as long as its condition needs, not for a guessed time.
   */
  holdAnswers(): () => void;
  /** The first call (already received or still to come) matching the predicate. */
  waitFor(predicate: (call: ReceivedCall) => boolean, timeoutMs?: number): Promise<ReceivedCall>;
  /** Forget the calls and the per-path answers, answer success, listen again if down. */
  reset(): Promise<void>;
  close(): Promise<void>;
};

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const HOST = "127.0.0.1";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error("body too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const plainAnswer = (status: number, msg: string): Plan => ({
  label: msg,
  act: (_req, res) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ success: false, msg }));
  },
});

/** Shared by every fake of the process, so arrivals at the POS and the OMS can be put in one order. */
let arrivals = 0;

type Waiter = { predicate: (call: ReceivedCall) => boolean; resolve: (call: ReceivedCall) => void };

export async function startFakeCounterpart(options: FakeCounterpartOptions): Promise<FakeCounterpart> {
  const received: ReceivedCall[] = [];
  const waiters = new Set<Waiter>();
  const perPath = new Map<string, () => Plan>();
  let general = compileAnswer({ kind: "success" });
  let port = options.port ?? 0;
  let down = true;
  // Calls not yet closed (answered ones leave on "close"), and the gate holdAnswers() shuts.
  const open = new Set<ServerResponse>();
  let hold: { gate: Promise<void>; release: () => void } | undefined;

  function planFor(req: IncomingMessage, path: string, authorized: boolean): Plan {
    if (req.method !== "POST") return plainAnswer(405, "method not allowed");
    if (!authorized) return plainAnswer(401, "unauthorized");
    return (perPath.get(path) ?? general)();
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      return; // the request was torn down while arriving; there is nobody to answer
    }
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const authorized = options.token === undefined || req.headers.authorization === `Bearer ${options.token}`;
    const plan = planFor(req, path, authorized);
    const attempt = Number(header(req.headers, "x-hub-attempt"));
    const call: ReceivedCall = {
      method: req.method ?? "",
      path,
      headers: req.headers,
      deliveryId: header(req.headers, "x-hub-delivery-id"),
      attempt: Number.isInteger(attempt) ? attempt : undefined,
      authorized,
      body,
      json: parseJson(body),
      at: new Date(),
      seq: ++arrivals,
      answer: plan.label,
    };
    received.push(call);
    if (options.keepLast !== undefined && received.length > options.keepLast) received.splice(0, received.length - options.keepLast);
    options.onCall?.(call);
    open.add(res);
    res.once("close", () => open.delete(res));
    for (const waiter of waiters) if (waiter.predicate(call)) waiter.resolve(call);
    if (hold) await hold.gate;
    if (req.socket.destroyed) {
      open.delete(res);
      return;
    }
    plan.act(req, res);
  }

  const server = createServer((req, res) => void handle(req, res));

  function listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, HOST, () => {
        server.off("error", reject);
        const address = server.address();
        if (address && typeof address === "object") port = address.port;
        down = false;
        resolve();
      });
    });
  }

  function stopListening(): Promise<void> {
    down = true;
    return new Promise((resolve) => {
      server.close(() => resolve());
      // Open keep-alive and hanging connections would otherwise keep the "down" fake answering.
      server.closeAllConnections();
    });
  }

  async function setBehaviour(behaviour: Behaviour) {
    if (behaviour.kind === "down") {
      if (!down) await stopListening();
      return;
    }
    general = compileAnswer(behaviour);
    if (down) await listen();
  }

  await listen();

  return {
    name: options.name,
    get url() {
      return `http://${HOST}:${port}`;
    },
    get port() {
      return port;
    },
    get isDown() {
      return down;
    },
    received,
    get unanswered() {
      // writableEnded turns true as res.end() is called, before the socket says "close".
      return [...open].filter((res) => !res.writableEnded).length;
    },
    holdAnswers() {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const mine = { gate, release };
      hold = mine;
      return () => {
        if (hold === mine) hold = undefined;
        release();
      };
    },
    setBehaviour,
    setBehaviourFor(path, answer) {
      if (answer === null) perPath.delete(path);
      else perPath.set(path, compileAnswer(answer));
    },
    waitFor(predicate, timeoutMs = 5000) {
      const already = received.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          predicate,
          resolve: (call) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(call);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = received.map((call) => `${call.path} (${call.answer})`).join(", ") || "nothing";
          reject(new Error(`fake ${options.name}: no matching call within ${timeoutMs} ms; received ${seen}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async reset() {
      received.length = 0;
      hold?.release();
      hold = undefined;
      perPath.clear();
      await setBehaviour({ kind: "success" });
    },
    async close() {
      if (!down) await stopListening();
    },
  };
}

/** `tsx test/fakes/fake-counterpart.ts --name oms --port 4100 [--token T] [--behaviour "status 500"]`; type a behaviour to change it. */
async function main() {
  const { values } = parseArgs({
    options: {
      name: { type: "string", default: "oms" },
      port: { type: "string", default: "0" },
      token: { type: "string" },
      behaviour: { type: "string", default: "success" },
    },
  });
  if (values.name !== "pos" && values.name !== "oms") throw new Error("--name must be pos or oms");
  const fake = await startFakeCounterpart({
    name: values.name,
    port: Number(values.port),
    ...(values.token ? { token: values.token } : {}),
    keepLast: 1000,
    onCall: (call) => {
      const delivery = call.deliveryId ? ` delivery=${call.deliveryId} attempt=${call.attempt ?? "?"}` : "";
      console.log(`${call.at.toISOString()} ${call.method} ${call.path}${delivery} → ${call.answer}  ${call.body.slice(0, 160)}`);
    },
  });
  await fake.setBehaviour(parseBehaviour(values.behaviour));
  console.log(`fake ${fake.name} on ${fake.url}, answering: ${values.behaviour}`);
  console.log("type a behaviour (success | refuse <msg> | status <code> | slow <ms> | hang | reset | not-json | flaky <rate> | down) and Enter");
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    try {
      const behaviour = parseBehaviour(line);
      void fake.setBehaviour(behaviour).then(() => console.log(`now: ${line.trim()}`));
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
    }
  });
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
