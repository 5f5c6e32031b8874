import { decodeAnswer } from "@/server/delivery/read-answer";
import type { AttemptResult } from "@/server/delivery/retry-policy";

export const RESPONSE_BODY_LOG_LIMIT = 8192;

export type OutboundRequest = {
  url: string;
  token?: string;
  payload: string;
  deliveryId: string;
  attemptNo: number;
  timeoutMs: number;
};

/** One HTTP attempt. Never throws: a network failure is a result like any other. */
export async function sendDelivery(request: OutboundRequest): Promise<AttemptResult> {
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "x-hub-delivery-id": request.deliveryId,
    "x-hub-attempt": String(request.attemptNo),
  };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  try {
    const response = await fetch(request.url, {
      method: "POST",
      headers,
      body: request.payload,
      // A redirect from a partner is a misconfiguration to fix, not something to follow with a body.
      redirect: "manual",
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const bodyText = decodeAnswer(await readCapped(response), response.headers.get("content-type"));
    return {
      kind: "answered",
      status: response.status,
      bodyText,
      retryAfter: response.headers.get("retry-after"),
      location: response.headers.get("location"),
    };
  } catch (error) {
    return { kind: "error", error: describeFetchError(error, request.timeoutMs), connected: !neverConnected(error) };
  }
}

async function readCapped(response: Response): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > RESPONSE_BODY_LOG_LIMIT * 4) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks);
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") return `no answer within ${timeoutMs} ms`;
  const cause = err.cause?.code ?? err.cause?.message;
  return cause ? `${err.message ?? "fetch failed"}: ${cause}` : (err.message ?? String(error));
}

// Failures that happen before a single byte of the request could reach the other side.
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

function neverConnected(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return code !== undefined && NOT_CONNECTED.has(code);
}
