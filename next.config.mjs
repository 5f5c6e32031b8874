/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WebAssembly, postgres.js opens sockets, the password hashers are
  // native addons, and rate-limiter-flexible requires its stores lazily: all load
  // from node_modules at run time rather than be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "@node-rs/argon2", "@node-rs/bcrypt", "rate-limiter-flexible"],
  poweredByHeader: false,
  // On every response, pages, dashboard API and partner endpoints alike (SPEC §10).
  // The Content-Security-Policy, with its per-response nonce, comes from proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
      {
        // HSTS only where the hub is reached over https (a TLS proxy says so); on
        // plain http it would mean nothing, and a LAN install may have no certificate.
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }],
      },
    ];
  },
  // The browser tests and the benchmarks build their own copy, so neither
  // disturbs a hub running from .next (`next start` must be given the same).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // The browser tests' build (scripts/lib/build-without-side-effects.ts) skips Next's own type check:
  // `npm run typecheck` has just checked everything it would (and tests, e2e, bench), and the second
  // pass cost CI 36 s of its 15 minutes. Every other build, `npm run hub`'s included, still checks.
  typescript: { ignoreBuildErrors: process.env.HUB_BUILD_SKIP_TYPECHECK === "1" },
};

export default nextConfig;
