import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import { createRng } from "@/scripts/lib/random";

// How a fake POS or OMS answers a delivery. Everything the hub must survive
// from a real counterpart: refusals, errors, slowness, silence, broken sockets.

/** An answer to one request. */
export type Answer =
  | { kind: "success" }
  | { kind: "refuse"; msg: string }
  | { kind: "status"; status: number; body?: string | Uint8Array; headers?: Record<string, string> }
  | { kind: "slow"; ms: number; then: Answer }
  | { kind: "hang" }
  | { kind: "reset" }
  | { kind: "not-json" }
  | { kind: "redirect"; location: string; status?: number }
  /** Fails (with `fail`, default HTTP 500) a `failRate` share of requests; `seed` makes the sequence repeatable. */
  | { kind: "flaky"; failRate: number; then: Answer; fail?: Answer; seed?: number };

/** `down` is not an answer: the fake stops listening altogether. */
export type Behaviour = Answer | { kind: "down" };

/** What to do with one request, decided when it arrives. */
export type Plan = { label: string; act(req: IncomingMessage, res: ServerResponse): void };

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
};

/** Compiled once per setBehaviour, so a flaky answer keeps its own random sequence. */
export function compileAnswer(answer: Answer): () => Plan {
  switch (answer.kind) {
    case "success":
      return () => ({ label: "success", act: (_req, res) => json(res, 200, { success: true }) });
    case "refuse":
      return () => ({ label: `refuse ${answer.msg}`, act: (_req, res) => json(res, 200, { success: false, msg: answer.msg }) });
    case "status":
      return () => ({
        label: `status ${answer.status}`,
        act: (_req, res) => {
          res.writeHead(answer.status, { "content-type": "text/plain; charset=utf-8", ...answer.headers });
          res.end(answer.body ?? STATUS_CODES[answer.status] ?? "");
        },
      });
    case "slow": {
      const then = compileAnswer(answer.then);
      return () => {
        const inner = then();
        return {
          label: `slow ${answer.ms}ms, then ${inner.label}`,
          act: (req, res) => {
            const timer = setTimeout(() => {
              if (!req.socket.destroyed) inner.act(req, res);
            }, answer.ms);
            res.on("close", () => clearTimeout(timer));
          },
        };
      };
    }
    case "hang":
      return () => ({ label: "hang", act: () => {} });
    case "reset":
      return () => ({ label: "reset", act: (req) => void req.socket.resetAndDestroy() });
    case "not-json":
      return () => ({
        label: "not-json",
        act: (_req, res) => {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          res.end("<html><body>OK</body></html>");
        },
      });
    case "redirect":
      return () => ({
        label: `redirect ${answer.location}`,
        act: (_req, res) => {
          res.writeHead(answer.status ?? 302, { location: answer.location });
          res.end();
        },
      });
    case "flaky": {
      const random = answer.seed === undefined ? Math.random : createRng(answer.seed).next;
      const then = compileAnswer(answer.then);
      const fail = compileAnswer(answer.fail ?? { kind: "status", status: 500 });
      return () => (random() < answer.failRate ? fail() : then());
    }
  }
}

/**
 * The text form used by the CLI: `success`, `refuse [msg]`, `status <code>`,
 * `slow <ms> [then…]`, `hang`, `reset`, `not-json`, `redirect <url>`,
 * `flaky <rate> [then…]`, `down`.
 */
export function parseBehaviour(text: string): Behaviour {
  const [kind = "", ...rest] = text.trim().split(/\s+/);
  const then = () => (rest.length > 1 ? parseAnswer(rest.slice(1).join(" ")) : ({ kind: "success" } as const));
  const number = (value: string | undefined) => {
    const parsed = Number(value);
    if (value === undefined || !Number.isFinite(parsed)) throw new Error(`"${text}": ${kind} needs a number`);
    return parsed;
  };
  switch (kind) {
    case "success":
    case "hang":
    case "reset":
    case "not-json":
    case "down":
      return { kind };
    case "refuse":
      return { kind, msg: rest.join(" ") || "通知单已作废" };
    case "status":
      return { kind, status: number(rest[0]) };
    case "slow":
      return { kind, ms: number(rest[0]), then: then() };
    case "flaky":
      return { kind, failRate: number(rest[0]), then: then() };
    case "redirect":
      if (!rest[0]) throw new Error(`"${text}": redirect needs a location`);
      return { kind, location: rest[0] };
    default:
      throw new Error(`Unknown behaviour "${text}"`);
  }
}

export function parseAnswer(text: string): Answer {
  const behaviour = parseBehaviour(text);
  if (behaviour.kind === "down") throw new Error("down can only be the whole fake's behaviour, not an answer");
  return behaviour;
}
