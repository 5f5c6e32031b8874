import { getConfig } from "@/server/config";
import { clientAddress as callerAddress } from "@/server/client-address";

/**
 * The client address a sign-in is throttled and logged by: the same reading
 * as for partner calls (server/client-address.ts — under `npm start`
 * the socket's peer, or what our outermost trusted proxy saw with
 * TRUSTED_PROXY_HOPS), restricted to the characters an address has.
 *
 * @returns an IPv4/IPv6 text, at most 64 characters, "unknown" or "invalid"
 */
export function clientAddress(headers: Headers, trustedProxyHops = getConfig().TRUSTED_PROXY_HOPS): string {
  const address = callerAddress(headers, trustedProxyHops);
  if (address === "unknown") return address;
  // Only characters an address has: no log forging, no odd keys.
  return /^[0-9A-Fa-f:.]{2,64}$/.test(address) ? address : "invalid";
}
