import { setConfigForTests } from "@/server/config";
import { endpointFor } from "@/server/contract/endpoints";
import { partnerRoute } from "@/server/partner/partner-route";

export const POS_TOKEN = "test-pos-token";
export const OMS_TOKEN = "test-oms-token";

// Every call in these tests comes from one address; the suites that check each
// refused call's log row would otherwise run into the per-address budget
// (test/partner/refused-calls.test.ts sets its own). And these tests are about
// what a call does, not admission: on a loaded machine a call waiting over the
// default second for a connection was answered 503 "busy" and the test failed
// (idempotency, worker-processes); test/partner/overload.test.ts sets its own bounds.
setConfigForTests({
  PARTNER_QUEUE_WAIT_MS: 30_000,
  HUB_POS_TOKEN: POS_TOKEN,
  HUB_OMS_TOKEN: OMS_TOKEN,
  REFUSED_CALLS_LOGGED_PER_ADDRESS: 1_000_000,
  REFUSED_CALLS_LOGGED_PER_MINUTE: 1_000_000,
});

type CallOptions = { token?: string | null; rawBody?: string | Uint8Array; headers?: Record<string, string> };

/** Calls a partner route handler the way Next.js would, with the side's token unless told otherwise. */
export async function callPartner(path: string, body: unknown, options: CallOptions = {}) {
  const token = options.token === undefined ? (path.startsWith("/pos/") ? POS_TOKEN : OMS_TOKEN) : options.token;
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  const request = new Request(`http://hub.test${path}`, {
    method: "POST",
    headers,
    body: (options.rawBody ?? JSON.stringify(body)) as BodyInit,
  });
  const response = await partnerRoute(endpointFor(path))(request);
  return { status: response.status, body: (await response.json()) as { success: boolean; msg?: string } };
}
