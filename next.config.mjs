/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WebAssembly and postgres.js opens sockets: both must load from
  // node_modules at run time rather than be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
};

export default nextConfig;
