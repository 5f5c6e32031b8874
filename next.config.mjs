/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WebAssembly and postgres.js opens sockets: both must load from
  // node_modules at run time rather than be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  // The browser tests and the benchmarks build their own copy, so neither
  // disturbs a hub running from .next (`next start` must be given the same).
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

export default nextConfig;
