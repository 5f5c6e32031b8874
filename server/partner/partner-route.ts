import { getDb } from "@/db/client";
import { exchanges } from "@/db/schema/exchanges";
import { isDatabaseUnavailable } from "@/db/unavailable";
import { relayVoid } from "@/server/delivery/relay-void";
import { signalDeliveryQueued } from "@/server/delivery/wake";
import { HubError } from "@/server/errors";
import { log } from "@/server/log";
import { observePartnerCall, type CallOutcome } from "@/server/metrics";
import { uuidv7 } from "@/server/ids";
import { acceptCall, dispatchNoOf, type LoggedExchange } from "@/server/partner/accept-call";
import { authenticatePartner } from "@/server/partner/authenticate";
import { authorizeShop } from "@/server/partner/authorize-shop";
import type { PartnerEndpoint } from "@/server/partner/endpoints";
import { readCanonicalMessage } from "@/server/partner/canonical-message";
import { readBodyText, UnreadableBody } from "@/server/partner/read-body";
import { headersWorthLogging, idempotencyKey, parseJsonObject, storableText } from "@/server/partner/read-request";

// Refused calls are logged with their body cut short: enough for ops to see
// what a partner sent, not enough for a stranger to fill the disk.
const REFUSED_BODY_LOG_LIMIT = 4096;

const answer = (status: number, body: unknown) => Response.json(body, { status });

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

/** The route handler for one partner endpoint: authenticate, parse, log, apply, answer. */
export function partnerRoute(endpoint: PartnerEndpoint) {
  return async function POST(request: Request): Promise<Response> {
    const startedAt = performance.now();
    const exchange: LoggedExchange = {
      id: uuidv7(),
      receivedAt: new Date(),
      side: endpoint.side,
      path: endpoint.path,
      headers: headersWorthLogging(request.headers),
      requestBody: "",
    };
    try {
      const read = await readBodyText(request);
      exchange.requestBody = read.text;
      const db = await getDb();
      const caller = await authenticatePartner(db, request.headers.get("authorization"), endpoint.side);
      exchange.tokenLabel = caller.label;
      // One canonical message from here on (SPEC §3): checked, authorised, identified, stored and forwarded.
      const call = readCanonicalMessage(endpoint.schema, parseJsonObject(read.text), read.text, read.changes);
      if (call.changes.length > 0) exchange.normalisation = call.changes;
      await authorizeShop(db, caller, call.message);
      const key = idempotencyKey(endpoint.side, endpoint.path, call.message);
      const result = await acceptCall(db, {
        endpoint,
        message: call.message,
        idempotencyKey: key,
        exchange,
        forwardPayload: call.forwardPayload,
        startedAt,
      });
      if (result.relay) {
        const relayed = await relayVoid(db, result.relay, exchange);
        observed(result.outcome);
        return answer(200, relayed);
      }
      if (result.outcome === "accepted") signalDeliveryQueued();
      observed(result.outcome);
      return answer(result.status, result.body);
    } catch (error) {
      const hubError = toHubError(error, exchange);
      if (error instanceof UnreadableBody) exchange.requestBody = error.preview;
      const body = { success: false, msg: hubError.message };
      if (hubError.status < 500) await logRefusedCall(exchange, hubError, body, startedAt);
      observed(outcomeOfError(hubError));
      return answer(hubError.status, body);
    }

    function observed(outcome: CallOutcome) {
      observePartnerCall(endpoint.side, endpoint.path, outcome, (performance.now() - startedAt) / 1000);
    }
  };
}

async function logRefusedCall(exchange: LoggedExchange, error: HubError, body: Record<string, unknown>, startedAt: number) {
  const full = exchange.requestBody;
  try {
    const db = await getDb();
    await db.insert(exchanges).values({
      ...exchange,
      requestBody: storableText(full.slice(0, REFUSED_BODY_LOG_LIMIT)),
      requestTruncated: full.length > REFUSED_BODY_LOG_LIMIT,
      responseStatus: error.status,
      responseBody: body,
      durationMs: Math.round(performance.now() - startedAt),
      outcome: OUTCOME_BY_STATUS[error.status] ?? "invalid",
      dispatchNo: storableText(dispatchNoOf(safeParse(full)) ?? "") || null,
    });
  } catch (logError) {
    // The answer matters more than its log line; say so where ops will see it.
    log.error({ err: logError, exchangeId: exchange.id, path: exchange.path }, "could not log refused partner call");
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
