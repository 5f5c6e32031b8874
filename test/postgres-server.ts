import { appendFileSync } from "node:fs";
import { describe } from "vitest";

// Suites that need a PostgreSQL server (separate processes share no embedded
// database; the driver's own behaviour): CI gives DATABASE_URL; without it
// test/global-setup.ts looks for the machine's PostgreSQL (127.0.0.1:5432, user
// postgres, as README says) and passes it on as HUB_TEST_POSTGRES_URL. Where
// there is none, the suite is skipped loudly: a line now, and the closing banner.

/** The server such suites use: DATABASE_URL, else the machine's PostgreSQL found at start; undefined when neither. */
export const postgresServerUrl: string | undefined = process.env.DATABASE_URL || process.env.HUB_TEST_POSTGRES_URL || undefined;

/** `describe` for a suite that needs a PostgreSQL server; skipped with a reason the run prints when there is none. */
export function describeWithPostgres(name: string, body: () => void): void {
  if (postgresServerUrl) {
    describe(name, body);
    return;
  }
  const reason = process.env.HUB_TEST_NO_POSTGRES_REASON ?? "no DATABASE_URL and no PostgreSQL found";
  // CI always has a server (.ci/run creates its database): a skip there would hide a broken setup.
  if (process.env.CI) throw new Error(`${name} needs PostgreSQL and CI has none (${reason})`);
  process.stderr.write(`\n!!! SKIPPED (needs PostgreSQL: ${reason}): ${name}\n`);
  if (process.env.HUB_TEST_SKIP_LOG) appendFileSync(process.env.HUB_TEST_SKIP_LOG, `${name}\n`);
  describe.skip(name, body);
}
