// The address a call came from, for the refused-call budget, the exchange log
// and the sign-in throttle. Each proxy of ours appends the address it saw to
// X-Forwarded-For; entries left of those are the client's own claims.

const MAX_CHARS = 64;

const entriesOf = (forwardedFor: string | null | undefined) =>
  (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);

/** "::ffff:192.0.2.1" (an IPv4 peer on a dual-stack socket) → "192.0.2.1". */
const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");

/**
 * The client's address for a request on a socket (server/http-server.ts,
 * before Next.js sees the request): with `trustedProxyHops` 0 the socket's
 * peer — a partner cannot choose its address by sending X-Forwarded-For; with
 * n ≥ 1 the n-th entry from the right of X-Forwarded-For, what our outermost
 * proxy saw (the leftmost when there are fewer; the socket's peer when none).
 * Returns at most 64 characters; "unknown" when there is nothing to read.
 */
export function clientAddressOnSocket(forwardedFor: string | string[] | undefined, socketAddress: string | undefined, trustedProxyHops: number): string {
  const entries = entriesOf(Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor);
  const address = trustedProxyHops > 0 && entries.length > 0 ? entries[Math.max(0, entries.length - trustedProxyHops)]! : (socketAddress ?? "");
  return plain(address).slice(0, MAX_CHARS) || "unknown";
}

/**
 * The client's address as a route handler reads it (it gets headers, no
 * socket). Under `npm start` the server wrote the resolved address into
 * X-Forwarded-For (clientAddressOnSocket), so its one entry is the answer.
 * Elsewhere (`next dev`) Next.js sets X-Forwarded-For to the socket's peer only
 * when the request has none, and each proxy appends: n = 0 reads the last
 * entry (a client could choose it), n ≥ 1 the n-th from the right.
 * Returns at most 64 characters; "unknown" when there is nothing to read.
 */
export function clientAddress(headers: Headers, trustedProxyHops: number): string {
  const hops = entriesOf(headers.get("x-forwarded-for"));
  const index = hops.length - Math.max(1, trustedProxyHops);
  const address = hops[Math.max(0, index)] ?? headers.get("x-real-ip")?.trim() ?? "";
  return address.slice(0, MAX_CHARS) || "unknown";
}
