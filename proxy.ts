import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy } from "@/server/content-security-policy";

/**
 * A fresh CSP nonce for every page: set on the request, where Next.js reads it
 * to mark its inline scripts, and on the response, where the browser enforces
 * it. Partner endpoints, API routes, /metrics and static files skip this (matcher).
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const policy = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|pos/|oms/|metrics|_next/static|_next/image|favicon.ico).*)",
      // A prefetch renders nothing the browser runs.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
