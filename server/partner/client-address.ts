/**
 * The address a partner call came from, for the refused-call budget and the
 * exchange log.
 *
 * Route handlers get no socket, only headers. Next.js's server sets
 * `x-forwarded-for` to the socket's address when the request has none
 * (next/dist/server/base-server.js) and keeps a client's own header otherwise,
 * and each proxy appends the address it saw. So, with `trustedProxyHops` (n)
 * proxies of our own in front:
 *
 * - n = 0: the last entry. Exact for a client that sends no header; a client
 *   can name any address it likes — the refused-call budget's per-minute total
 *   still bounds what it can write (refused-calls.ts).
 * - n ≥ 1: the n-th entry from the right — what our outermost proxy saw;
 *   entries left of it are the client's own claims and are ignored.
 *
 * Returns at most 64 characters; "unknown" when there is nothing to read.
 */
export function clientAddress(headers: Headers, trustedProxyHops: number): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const index = hops.length - Math.max(1, trustedProxyHops);
  const address = hops[Math.max(0, index)] ?? headers.get("x-real-ip")?.trim() ?? "";
  return address.slice(0, 64) || "unknown";
}
