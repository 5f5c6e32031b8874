// How the simulated POS and OMS call the hub: over real HTTP, each side with
// its own bearer token, every answer classified so a run can be summarised.

export type Outcome = "accepted" | "refused" | "invalid" | "denied" | "too-large" | "unavailable" | "other" | "unreachable";

export type HubAnswer = {
  path: string;
  /** 0 when no HTTP answer came (connection refused, timeout). */
  status: number;
  outcome: Outcome;
  msg?: string;
  ms: number;
};

export type CallOptions = {
  /** What this call should get; anything else raises UnexpectedAnswer and ends the scenario. */
  expect?: Outcome | readonly Outcome[];
  /** Sent as is instead of JSON.stringify(body): for the malformed calls. */
  rawBody?: string;
};

export type HubClient = {
  call(path: string, body: unknown, options?: CallOptions): Promise<HubAnswer>;
  /** A partner's think time between two calls; clients for tests make it instant. */
  pause(ms: number): Promise<void>;
};

export class UnexpectedAnswer extends Error {
  constructor(readonly answer: HubAnswer, readonly expected: readonly Outcome[]) {
    super(
      `${answer.path}: expected ${expected.join(" or ")}, got ${answer.outcome} (HTTP ${answer.status}${answer.msg ? ` ${answer.msg}` : ""})`,
    );
  }
}

/** Throws UnexpectedAnswer when the answer is not one the caller expected. */
export function checkExpectation(answer: HubAnswer, expect: CallOptions["expect"]): HubAnswer {
  const expected = expect === undefined ? [] : [expect].flat();
  if (expected.length > 0 && !expected.includes(answer.outcome)) throw new UnexpectedAnswer(answer, expected);
  return answer;
}

export type HubClientOptions = {
  baseUrl: string;
  posToken: string;
  omsToken: string;
  timeoutMs?: number;
  /** Multiplies every pause: 0 for tests and --once, 1 for a live simulation. */
  pauseScale?: number;
  /** Every answer, with the text that was sent. */
  onAnswer?: (answer: HubAnswer, sent: string) => void;
};

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** The simulator sends made-up traffic: never let it reach a real system by mistake. */
export function assertLoopback(url: string): void {
  const { hostname } = new URL(url);
  if (!LOOPBACK_HOSTS.has(hostname)) throw new Error(`Refusing to send simulated traffic to ${url}: loopback addresses only`);
}

export function classifyAnswer(status: number, body: unknown): Outcome {
  const success = typeof body === "object" && body !== null ? (body as { success?: unknown }).success : undefined;
  if (status === 200 && success === true) return "accepted";
  if (status === 200 && success === false) return "refused";
  if (status === 400) return "invalid";
  if (status === 401 || status === 403) return "denied";
  if (status === 413) return "too-large";
  if (status === 503) return "unavailable";
  return "other";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createHubClient(options: HubClientOptions): HubClient {
  assertLoopback(options.baseUrl);
  const base = options.baseUrl.replace(/\/+$/, "");
  const scale = options.pauseScale ?? 1;

  async function send(path: string, text: string): Promise<HubAnswer> {
    const token = path.startsWith("/pos/") ? options.posToken : options.omsToken;
    const started = performance.now();
    try {
      const response = await fetch(base + path, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: text,
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      const json = parseJson(await response.text());
      const msg = typeof json === "object" && json !== null ? (json as { msg?: unknown }).msg : undefined;
      return {
        path,
        status: response.status,
        outcome: classifyAnswer(response.status, json),
        ...(typeof msg === "string" ? { msg } : {}),
        ms: Math.round(performance.now() - started),
      };
    } catch (error) {
      const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      return { path, status: 0, outcome: "unreachable", msg: cause, ms: Math.round(performance.now() - started) };
    }
  }

  return {
    async call(path, body, callOptions = {}) {
      const text = callOptions.rawBody ?? JSON.stringify(body);
      const answer = await send(path, text);
      options.onAnswer?.(answer, text);
      return checkExpectation(answer, callOptions.expect);
    },
    pause: (ms) => (scale > 0 ? new Promise((resolve) => setTimeout(resolve, ms * scale)) : Promise.resolve()),
  };
}
