/**
 * The client address a sign-in is throttled and logged by.
 *
 * Next.js sets X-Forwarded-For to the socket's peer address only when the
 * request has none (`??=` in its base server), and a reverse proxy appends the
 * address it saw. So the last entry is the one written by the hop nearest to
 * us: the proxy's view behind a proxy, the socket's peer without one. A client
 * that talks to the hub directly and sends its own header can still choose
 * the value; the per-account limit holds regardless (README, Security).
 *
 * @returns an IPv4/IPv6 text, at most 100 characters, or "unknown"
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  const address = last || headers.get("x-real-ip")?.trim();
  if (!address) return "unknown";
  // Only characters an address has: no log forging, no odd keys.
  return /^[0-9A-Fa-f:.]{2,100}$/.test(address) ? address : "invalid";
}
