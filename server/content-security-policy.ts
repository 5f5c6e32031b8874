/**
 * The Content-Security-Policy of every dashboard page (SPEC §10: "CSP with
 * frame-ancestors"). Scripts run only with this response's nonce, which
 * Next.js puts on its own inline scripts when it finds the policy on the
 * request (proxy.ts; Next.js guide "Content Security Policy", nonces);
 * 'strict-dynamic' lets those scripts load the page's chunks. Nothing may
 * frame a page, post a form elsewhere or load from another origin.
 *
 * @param nonce base64, fresh for each response (≥ 128 bits)
 * @param options.dev Next's dev server needs eval for its error overlay
 * @returns the header's value, one line
 */
/**
 * The toasts' style sheet (components/feedback/toaster.tsx): sonner inserts it
 * from script as a <style> element without our nonce, so the policy allows
 * exactly that text by its SHA-256 (and the empty element it first appends).
 * content-security-policy.test.ts recomputes it from the installed sonner: an
 * upgrade that changes the CSS fails there until the hash is updated here.
 */
export const TOAST_STYLE_HASHES = ["sha256-StEaX+se6YS7pqjzrzMIA0KaX9zF/8zAhvQXZAe5epY=", "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="];

export function contentSecurityPolicy(nonce: string, { dev = false } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}' ${TOAST_STYLE_HASHES.map((hash) => `'${hash}'`).join(" ")}`,
    // Style attributes set by scripts (Next's route announcer): they cannot run code.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
