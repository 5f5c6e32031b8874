/**
 * What the browser is told when a dashboard call fails (SPEC §10: "Internal
 * errors reach the browser as a code and a request id, never SQL, parameters
 * or stack"). Errors we raised on purpose (HubError, role checks, the odd-input
 * guard, tRPC's own 4xx) keep their message, written for the reader; anything
 * else is an internal error whose message is replaced by a fixed sentence in
 * the reader's language naming the request id that the server log carries.
 */
import type { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { DEFAULT_LOCALE, type Locale } from "@/lib/i18n/locale";
import { translator } from "@/lib/i18n/messages";
import { explainIssue } from "@/lib/i18n/explain-error";

export type ClientErrorData = {
  code: string;
  httpStatus: number;
  path?: string;
  requestId: string | null;
  /** For a refused input: where and why, never the value itself. */
  zodError: { path: PropertyKey[]; message: string }[] | null;
};

/**
 * @param error the error tRPC is about to send
 * @param shape tRPC's default `data` (code, httpStatus, path; its `stack` is dropped)
 * @returns the message and data the browser receives
 */
export function clientErrorData(
  error: TRPCError,
  shape: { code: string; httpStatus: number; path?: string },
  context: { requestId?: string; locale?: Locale },
): { message: string; data: ClientErrorData } {
  const t = translator(context.locale ?? DEFAULT_LOCALE);
  const requestId = context.requestId ?? null;
  const issues = error.cause instanceof ZodError ? error.cause.issues : null;
  let message: string;
  if (error.code === "INTERNAL_SERVER_ERROR") {
    message = t("error.internal", { id: requestId ?? "-" });
  } else if (issues?.length) {
    const [first] = issues;
    message = t("error.invalidInput", { reason: explainIssue(first!.path.join("."), first!.message, t) });
  } else {
    message = error.message;
  }
  return {
    message,
    data: {
      code: shape.code,
      httpStatus: shape.httpStatus,
      path: shape.path,
      requestId,
      zodError: issues ? issues.map((issue) => ({ path: issue.path, message: issue.message })) : null,
    },
  };
}
