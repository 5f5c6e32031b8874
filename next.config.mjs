/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WebAssembly, postgres.js opens sockets, the password hashers are
  // native addons, and rate-limiter-flexible requires its stores lazily: all load
  // from node_modules at run time rather than be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "@node-rs/argon2", "@node-rs/bcrypt", "rate-limiter-flexible"],
  poweredByHeader: false,
  // The browser tests and the benchmarks build their own copy, so neither
  // disturbs a hub running from .next (`next start` must be given the same).
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

export default nextConfig;
