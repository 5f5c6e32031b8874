import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["**/*.test.ts"],
    // The reliability suite restarts PostgreSQL: it runs on its own (vitest.reliability.config.ts).
    exclude: ["node_modules/**", "e2e/**", ".next*/**", "test/reliability/**"],
    pool: "forks",
    // Vitest's default in `run` mode is one worker per core but one: on CI's 2 cores, one file at a time
    // (251 s). Each file has a database of its own (test/database.ts), so two run side by side (157 s).
    maxWorkers: 2,
    // Finds the machine's PostgreSQL when DATABASE_URL is unset; lists suites skipped without one.
    globalSetup: ["test/global-setup.ts"],
    // next-auth imports "next/server" without an extension, which only a bundler resolves:
    // let Vite transform it so the sign-in route can be tested over HTTP.
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
