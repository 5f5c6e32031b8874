import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { auth } from "@/auth";
import { LOCALE_COOKIE, toLocale } from "@/lib/i18n/locale";
import { BodyTooLarge, withCappedBody } from "@/server/api/cap-body";
import { TRPC_MAX_BATCH_SIZE, TRPC_MAX_BODY_BYTES } from "@/server/api/limits";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { log } from "@/server/log";

/** A caller's own X-Request-Id is kept when it looks like one; otherwise a fresh UUID. */
function requestIdOf(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
}

function localeOf(req: Request) {
  const cookie = req.headers.get("cookie") ?? "";
  const match = new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([^;]*)`).exec(cookie);
  return toLocale(match?.[1]);
}

async function handler(incoming: Request) {
  const requestId = requestIdOf(incoming);
  let req: Request;
  try {
    req = await withCappedBody(incoming, TRPC_MAX_BODY_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    const message = `请求体超过 ${TRPC_MAX_BODY_BYTES} 字节 (request body over ${TRPC_MAX_BODY_BYTES} bytes)`;
    return Response.json(
      { error: { message, code: -32600, data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, requestId } } },
      { status: 413, headers: { "x-request-id": requestId, connection: "close" } },
    );
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: TRPC_MAX_BATCH_SIZE,
    createContext: async () => {
      const session = await auth();
      return createTRPCContext({ sessionUserId: session?.user?.id, sessionVersion: session?.sessionVersion, requestId, locale: localeOf(req) });
    },
    responseMeta: () => ({ headers: { "x-request-id": requestId } }),
    onError({ error, path }) {
      // The detail stays here, without parameters; the browser only gets the request id.
      if (error.code === "INTERNAL_SERVER_ERROR") {
        log.error({ requestId, procedure: path ?? null, err: error.cause ?? error }, "tRPC call failed");
      }
    },
  });
}

export { handler as GET, handler as POST };
