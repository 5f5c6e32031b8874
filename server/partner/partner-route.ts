import { getDb, getHubDatabase } from "@/db/client";
import { isDatabaseUnavailable } from "@/db/unavailable";
import { relayVoid } from "@/server/void/relay-void";
import { signalDeliveryQueued } from "@/server/delivery/wake";
import { getConfig } from "@/server/config";
import { HubError } from "@/server/errors";
import { log } from "@/server/log";
import { observePartnerCall, type CallOutcome } from "@/server/metrics";
import { uuidv7 } from "@/server/ids";
import { acceptCall, type CallAnswer, type LoggedExchange } from "@/server/partner/accept-call";
import { authenticatePartner, type PartnerCaller } from "@/server/partner/authenticate";
import { authorizeShop } from "@/server/partner/authorize-shop";
import { clientAddress } from "@/server/client-address";
import type { Db } from "@/db/client";
import type { PartnerEndpoint, PartnerSide } from "@/server/contract/endpoints";
import { BUSY_ANSWER, instanceAdmission, useConnections } from "@/server/partner/admission";
import { IN_FLIGHT_RETRY_AFTER_SECONDS, InFlightSlots } from "@/server/partner/in-flight";
import { readCanonicalMessage } from "@/server/contract/canonical-message";
import { readBodyText, UnreadableBody } from "@/server/contract/read-body";
import { headersWorthLogging, idempotencyKey, parseJsonObject } from "@/server/contract/read-request";
import { readBodyPrefix, RefusedCallBudget, RefusedCallRecorder } from "@/server/partner/refused-calls";
import { isWarmUpCall, rehearse, WARM_UP_HEADER, warmUpCaller } from "@/server/partner/warm-up";

const answer = (status: number, body: unknown, headers?: HeadersInit) => Response.json(body, { status, headers });

function toHubError(error: unknown, exchange?: LoggedExchange): HubError {
  if (error instanceof HubError) return error;
  if (isDatabaseUnavailable(error)) {
    return new HubError("unavailable", "数据库暂不可用, 请稍后重试 (hub cannot store the call; retry)");
  }
  log.error({ err: error, exchangeId: exchange?.id, path: exchange?.path }, "partner call failed");
  return new HubError("internal", "内部错误, 请稍后重试 (internal error; retry)");
}

function outcomeOfError(error: HubError): CallOutcome {
  if (error.code === "unavailable") return "unavailable";
  if (error.status >= 500) return "internal";
  return OUTCOME_BY_STATUS[error.status] ?? "invalid";
}

const OUTCOME_BY_STATUS: Record<number, "invalid" | "unauthorized"> = { 401: "unauthorized", 403: "unauthorized" };

// One of each per process, shared by every route (Next.js may load this module once per route bundle).
const shared = globalThis as unknown as { hubInFlight?: InFlightSlots; hubRefusedCalls?: RefusedCallRecorder };
const inFlight = (shared.hubInFlight ??= new InFlightSlots(() => getConfig().PARTNER_CALLS_IN_FLIGHT_PER_TOKEN));
const admission = instanceAdmission();
const budget = new RefusedCallBudget(() => {
  const config = getConfig();
  return { perAddress: config.REFUSED_CALLS_LOGGED_PER_ADDRESS, perMinute: config.REFUSED_CALLS_LOGGED_PER_MINUTE };
});
/** This process's refused-call recorder; `flush()` writes the tallies counted so far. */
export const refusedCalls = (shared.hubRefusedCalls ??= new RefusedCallRecorder(budget, getDb));

type Exchange = LoggedExchange & { clientAddress: string };

/**
 * How one call runs, decided once per request from its headers: a partner's
 * call, or `npm start`'s own warm-up (warm-up.ts) — the whole path, but nothing
 * stored, counted, logged or delivered.
 */
type CallMode = {
  /** Who is calling (a partner's token; a warm-up call needs none). */
  caller(db: Db, request: Request, side: PartnerSide): Promise<PartnerCaller>;
  /**
   * Runs the accepted call's database work through `accept` and what follows it;
   * `leaveAdmission` gives the database slot back before any wait on the other side.
   */
  apply(db: Db, accept: (into: Db) => Promise<CallAnswer>, exchange: Exchange, leaveAdmission: () => void): Promise<Omit<CallAnswer, "relay">>;
  /** Counts the call in the metrics. */
  observe(side: PartnerSide, path: string, outcome: CallOutcome, startedAt: number): void;
  /** Logs a refused call (4xx) with its answer (refused-calls.ts). */
  logRefused(request: Request, exchange: Exchange, error: HubError, body: Record<string, unknown>, startedAt: number, bodyRead: boolean): Promise<void>;
};

const partnerCall: CallMode = {
  caller: (db, request, side) => authenticatePartner(db, request.headers.get("authorization"), side),
  async apply(db, accept, exchange, leaveAdmission) {
    const result = await accept(db);
    // The void relay waits for the other side (up to VOID_SYNC_BUDGET_MS): not on a database slot.
    leaveAdmission();
    if (result.relay) return { status: 200, body: await relayVoid(db, result.relay, exchange), outcome: result.outcome };
    if (result.outcome === "accepted") signalDeliveryQueued();
    return result;
  },
  observe: (side, path, outcome, startedAt) => observePartnerCall(side, path, outcome, (performance.now() - startedAt) / 1000),
  logRefused: logRefusedCall,
};

const warmUpCall: CallMode = {
  caller: (_db, _request, side) => Promise.resolve(warmUpCaller(side)),
  // Rolled back: a warm-up order relays no void and wakes no worker.
  apply: (db, accept) => rehearse(db, accept),
  observe: () => {},
  logRefused: async () => {},
};

/**
 * The route handler for one partner endpoint: authenticate, take one of the
 * token's in-flight slots, read and parse, log, apply, answer.
 *
 * The token is checked before the body is read, so a caller without one costs
 * at most the 4 KiB logged of its body, and one token's calls past
 * PARTNER_CALLS_IN_FLIGHT_PER_TOKEN get 503 + Retry-After without their body
 * being read. Past the token's cap, the database work waits its turn in the
 * instance's admission (admission.ts): at most PARTNER_QUEUE_WAIT_MS, behind at
 * most PARTNER_CALLS_IN_FLIGHT calls, else 503 + Retry-After at once.
 * Refused calls are logged by refused-calls.ts (never on a notice).
 */
export function partnerRoute(endpoint: PartnerEndpoint) {
  return async function POST(request: Request): Promise<Response> {
    const startedAt = performance.now();
    const mode = isWarmUpCall(request.headers.get(WARM_UP_HEADER)) ? warmUpCall : partnerCall;
    const observed = (outcome: CallOutcome) => mode.observe(endpoint.side, endpoint.path, outcome, startedAt);
    const exchange: Exchange = {
      id: uuidv7(),
      receivedAt: new Date(),
      side: endpoint.side,
      path: endpoint.path,
      headers: headersWorthLogging(request.headers),
      requestBody: "",
      clientAddress: clientAddress(request.headers, getConfig().TRUSTED_PROXY_HOPS),
    };
    let release: (() => void) | null = null;
    let admitted: (() => void) | null = null;
    let bodyRead = false;
    try {
      const hub = await getHubDatabase();
      const db = hub.db;
      useConnections(hub.poolMax);
      const caller = await mode.caller(db, request, endpoint.side);
      exchange.tokenLabel = caller.label;
      release = inFlight.tryAcquire(caller.label);
      if (!release) {
        observed("unavailable");
        return answer(
          503,
          { success: false, msg: "此凭证并发调用过多, 请稍后重试 (too many calls in flight for this token; retry)" },
          { "retry-after": String(IN_FLIGHT_RETRY_AFTER_SECONDS) },
        );
      }
      bodyRead = true;
      const read = await readBodyText(request);
      exchange.requestBody = read.text;
      // One canonical message from here on (SPEC §3): checked, authorised, identified, stored and forwarded.
      const call = readCanonicalMessage(endpoint.schema, parseJsonObject(read.text), read.text, read.changes);
      if (call.changes.length > 0) exchange.normalisation = call.changes;
      // The database work waits its turn, at most PARTNER_QUEUE_WAIT_MS: past that the caller is told to retry.
      admitted = await admission.enter();
      if (!admitted) {
        observed("unavailable");
        return answer(BUSY_ANSWER.status, BUSY_ANSWER.body, BUSY_ANSWER.headers);
      }
      await authorizeShop(db, caller, call.message);
      const key = idempotencyKey(endpoint.side, endpoint.path, call.message);
      const accept = (into: typeof db) =>
        acceptCall(into, { endpoint, message: call.message, idempotencyKey: key, exchange, forwardPayload: call.forwardPayload, startedAt });
      const result = await mode.apply(db, accept, exchange, admitted);
      observed(result.outcome);
      return answer(result.status, result.body);
    } catch (error) {
      const hubError = toHubError(error, exchange);
      if (error instanceof UnreadableBody) exchange.requestBody = error.preview;
      const body = { success: false, msg: hubError.message };
      if (hubError.status < 500) await mode.logRefused(request, exchange, hubError, body, startedAt, bodyRead);
      observed(outcomeOfError(hubError));
      return answer(hubError.status, body);
    } finally {
      admitted?.();
      release?.();
    }
  };
}

async function logRefusedCall(
  request: Request,
  exchange: Exchange,
  error: HubError,
  body: Record<string, unknown>,
  startedAt: number,
  bodyRead: boolean,
) {
  try {
    let bodyCut = false;
    if (!bodyRead) {
      const prefix = await readBodyPrefix(request);
      exchange.requestBody = prefix.text;
      bodyCut = prefix.truncated;
    }
    await refusedCalls.record({
      exchange,
      status: error.status,
      answer: body,
      outcome: OUTCOME_BY_STATUS[error.status] ?? "invalid",
      durationMs: Math.round(performance.now() - startedAt),
      bodyCut,
    });
  } catch (logError) {
    // The answer matters more than its log line; say so where ops will see it.
    log.error({ err: logError, exchangeId: exchange.id, path: exchange.path }, "could not log refused partner call");
  }
}
