import { describe, expect, it } from "vitest";
import { clientAddress, clientAddressOnSocket } from "@/server/client-address";

const headers = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

describe("clientAddress", () => {
  it("with no proxy of ours, reads the address Next.js put there (the socket's)", () => {
    expect(clientAddress(headers("203.0.113.7"), 0)).toBe("203.0.113.7");
    expect(clientAddress(headers(), 0)).toBe("unknown");
  });

  it("behind one trusted proxy, takes what the proxy appended, not what the client claimed", () => {
    expect(clientAddress(headers("10.9.9.9, 198.51.100.4"), 1)).toBe("198.51.100.4");
    expect(clientAddress(headers("1.1.1.1, 10.9.9.9, 198.51.100.4, 10.0.0.2"), 2)).toBe("198.51.100.4");
  });

  it("with fewer entries than trusted hops, the leftmost; never more than 64 characters", () => {
    expect(clientAddress(headers("198.51.100.4"), 3)).toBe("198.51.100.4");
    expect(clientAddress(headers("x".repeat(500)), 0)).toHaveLength(64);
  });
});

describe("clientAddressOnSocket", () => {
  it("ignores X-Forwarded-For with no trusted proxy, and shows an IPv4 peer plainly", () => {
    expect(clientAddressOnSocket("203.0.113.66", "::ffff:192.0.2.10", 0)).toBe("192.0.2.10");
    expect(clientAddressOnSocket(undefined, "2001:db8::1", 0)).toBe("2001:db8::1");
    expect(clientAddressOnSocket(undefined, undefined, 0)).toBe("unknown");
  });

  it("takes the n-th entry from the right behind n proxies, across repeated headers", () => {
    expect(clientAddressOnSocket(["1.1.1.1, 198.51.100.4", "10.0.0.2"], "10.0.0.3", 2)).toBe("198.51.100.4");
  });
});
