import { handlers } from "@/auth";
import { getDb } from "@/db/client";
import { BodyTooLarge, withCappedBody } from "@/server/api/cap-body";
import { clientAddress } from "@/server/users/client-address";
import { checkSignInGate } from "@/server/users/sign-in-throttle";
import { formText } from "@/lib/form-text";

export const { GET } = handlers;

const AUTH_MAX_BODY_BYTES = 16 * 1024;

/**
 * Credentials sign-ins over HTTP get a 429 with Retry-After while the account
 * or the address is locked (SPEC §10), checked before any password hashing;
 * a sign-in that becomes locked by its own failure is answered the same way.
 */
export async function POST(incoming: Request) {
  let req: Request;
  try {
    // A sign-in or sign-out form is a few hundred bytes; nothing here needs more.
    req = await withCappedBody(incoming, AUTH_MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) return new Response(null, { status: 413, headers: { connection: "close" } });
    throw error;
  }
  if (!new URL(req.url).pathname.endsWith("/callback/credentials")) return handlers.POST(req as never);
  const email = formText(await req.clone().formData().catch(() => null), "email");
  const keys = { email, address: clientAddress(req.headers) };
  const db = await getDb();
  const before = await checkSignInGate(db, keys);
  if (before.locked) return tooManyAttempts(before.retryAfterSeconds);
  const response = await handlers.POST(req as never);
  // A redirect, or `{ url }` when the caller asked with X-Auth-Return-Redirect.
  const location = response.headers.get("location") ?? (response.headers.get("content-type")?.includes("json") ? ((await response.clone().json()) as { url?: string }).url : "") ?? "";
  if (/[?&]code=throttled\b/.test(location)) {
    const after = await checkSignInGate(db, keys);
    if (after.locked) return tooManyAttempts(after.retryAfterSeconds);
  }
  return response;
}

function tooManyAttempts(retryAfterSeconds: number) {
  return Response.json(
    { error: "too_many_attempts", retryAfterSeconds },
    { status: 429, headers: { "retry-after": String(retryAfterSeconds), "cache-control": "no-store" } },
  );
}
