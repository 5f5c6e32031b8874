import path from "node:path";
import { defineConfig } from "vitest/config";

// The reliability suite restarts PostgreSQL and kills processes: its files run
// one at a time, never beside the main suite's.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["test/reliability/**/*.test.ts"],
    pool: "forks",
    // Finds the machine's PostgreSQL when DATABASE_URL is unset; lists suites skipped without one.
    globalSetup: ["test/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
