/**
 * The dashboard's tRPC setup, in three parts: the context each call gets, the
 * tRPC instance, and the procedures by role.
 */
import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import superjson from "superjson";
import { getDb, type Db } from "@/db/client";
import { isDatabaseUnavailable } from "@/db/unavailable";
import { DEFAULT_LOCALE, type Locale } from "@/lib/i18n/locale";
import { clientErrorData } from "@/server/api/client-error";
import { findOddInput } from "@/server/input-guard";
import { maskForViewer } from "@/server/dashboard/mask-phone";
import { HubError, type HubErrorCode } from "@/server/errors";
import type { Role } from "@/lib/states";
import { findActiveUser, type SessionUser } from "@/server/users/users";

// 1. Context ---------------------------------------------------------------

/**
 * What every procedure gets. `requestId` ties an error the browser shows to
 * the server's log line; `locale` picks the language of error messages.
 */
export type TrpcContext = { db: Db; user: SessionUser | null; requestId?: string; locale?: Locale };

/** For the HTTP handler and server components: the user is re-read from the database on every call. */
export async function createTRPCContext(input: {
  sessionUserId: string | undefined;
  /** The session version the cookie carries; a session whose version is no longer the user's is nobody. */
  sessionVersion?: number;
  requestId?: string;
  locale?: Locale;
}): Promise<TrpcContext> {
  const db = await getDb();
  const id = Number(input.sessionUserId);
  const user = Number.isSafeInteger(id) && id > 0 ? await findActiveUser(db, id, input.sessionVersion ?? 0) : null;
  return { db, user, requestId: input.requestId, locale: input.locale ?? DEFAULT_LOCALE };
}

// 2. Init ------------------------------------------------------------------

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  // Live updates' SSE streams (routers/live.ts) ping while quiet, so proxies and browsers keep them open.
  sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
  // Never the stack, the SQL or its parameters: a code, a readable message and the request id (SPEC §10).
  errorFormatter({ shape, error, ctx }) {
    const { message, data } = clientErrorData(error, shape.data, { requestId: ctx?.requestId, locale: ctx?.locale });
    return { code: shape.code, message, data };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

// 3. Procedures ------------------------------------------------------------

const TRPC_CODE: Record<HubErrorCode, TRPC_ERROR_CODE_KEY> = {
  invalid_json: "BAD_REQUEST",
  invalid_body: "BAD_REQUEST",
  unauthorized: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  payload_too_large: "PAYLOAD_TOO_LARGE",
  unsupported_media_type: "UNSUPPORTED_MEDIA_TYPE",
  unavailable: "SERVICE_UNAVAILABLE",
  internal: "INTERNAL_SERVER_ERROR",
};

/** The one place domain errors become tRPC errors: the code picks the status, the message is what the user reads. */
const hubErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof HubError) throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  if (isDatabaseUnavailable(cause)) {
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "数据库暂不可用 (database unavailable)", cause });
  }
  return result;
});

/**
 * NUL and out-of-range dates anywhere in the input are a 400 before any
 * schema or query sees them: PostgreSQL would refuse them with an error that
 * quotes the statement and its parameters (issue 9).
 */
const oddInputGuard = t.middleware(async ({ getRawInput, next }) => {
  const odd = findOddInput(await getRawInput());
  if (odd) throw new TRPCError({ code: "BAD_REQUEST", message: `输入含 NUL 字符或超出范围的日期 (NUL or out-of-range date in input): ${odd.slice(0, 100)}` });
  return next();
});

export const publicProcedure = t.procedure.use(hubErrors).use(oddInputGuard);

const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/**
 * Why `user` may not call something that needs `minimum`, or null when it may:
 * the one role rule for tRPC procedures and the route handlers beside them
 * (the Excel exports). UNAUTHORIZED → 401, FORBIDDEN → 403.
 */
export function roleRefusal(
  user: SessionUser | null,
  minimum: Role,
  { whilePasswordMustChange = false } = {},
): { code: "UNAUTHORIZED" | "FORBIDDEN"; message: string } | null {
  if (!user) return { code: "UNAUTHORIZED", message: "请先登录 (sign in first)" };
  // Signed in with a generated or admin-reset password: nothing but the change is open (SPEC §10).
  if (user.mustChangePassword && !whilePasswordMustChange) return { code: "FORBIDDEN", message: "请先修改密码 (change your password first)" };
  if (ROLE_RANK[user.role] < ROLE_RANK[minimum]) return { code: "FORBIDDEN", message: `需要 ${minimum} 角色 (requires the ${minimum} role)` };
  return null;
}

function requireRole(minimum: Role, options: { whilePasswordMustChange?: boolean } = {}) {
  return t.middleware(({ ctx, next }) => {
    const refusal = roleRefusal(ctx.user, minimum, options);
    if (refusal || !ctx.user) throw new TRPCError(refusal ?? { code: "UNAUTHORIZED" });
    return next({ ctx: { ...ctx, user: ctx.user } });
  });
}

/** Any signed-in user, even one who must still change a generated password: who am I. */
export const signedInProcedure = publicProcedure.use(requireRole("viewer", { whilePasswordMustChange: true }));
/**
 * Phones masked on the server in everything a viewer's procedure answers —
 * lists, the notice page, raw bodies, delivery payloads and attempt answers
 * (SPEC §10, server/dashboard/mask-phone.ts); operators and admins see them whole.
 */
const phonesMaskedForViewers = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok || ctx.user?.role !== "viewer") return result;
  return { ...result, data: maskForViewer(result.data) };
});

/** Any signed-in user: customer service reads everything, phones masked. */
export const viewerProcedure = publicProcedure.use(requireRole("viewer")).use(phonesMaskedForViewers);
/** Any signed-in user's subscriptions: they carry names of what changed, no data to mask. */
export const viewerSubscriptionProcedure = publicProcedure.use(requireRole("viewer"));
/** Ops: may act on deliveries. */
export const operatorProcedure = publicProcedure.use(requireRole("operator"));
/** Admins: users, partner tokens, settings. */
export const adminProcedure = publicProcedure.use(requireRole("admin"));
