import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";

// vitest globalSetup for both suites (vitest.config.ts, vitest.reliability.config.ts).
// README: `npm test` uses the machine's PostgreSQL on 127.0.0.1:5432 where
// DATABASE_URL is unset. This finds it before any test file loads (the test
// processes inherit the environment set here) and, at the end, lists every suite
// that was skipped for want of it in a banner nobody can miss.

// HUB_TEST_MACHINE_POSTGRES: where to look instead (a port nobody listens on shows the skip banner).
const MACHINE_POSTGRES = process.env.HUB_TEST_MACHINE_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** True when `url` accepts a connection and answers `select 1` within a few seconds. */
async function answers(url: string): Promise<true | string> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

export default async function setup(project: { config: { include: string[] } }): Promise<() => void> {
  const reliability = project.config.include.some((pattern) => pattern.includes("reliability"));
  if (!process.env.DATABASE_URL) {
    const found = await answers(MACHINE_POSTGRES);
    if (found === true) {
      // The reliability suite is about the server: all of it runs there. The main suite keeps its embedded
      // database by default and gives the server to the suites that need one.
      if (reliability) process.env.DATABASE_URL = MACHINE_POSTGRES;
      else process.env.HUB_TEST_POSTGRES_URL = MACHINE_POSTGRES;
      process.stderr.write(`DATABASE_URL is unset: suites that need a PostgreSQL server use the machine's, ${MACHINE_POSTGRES}\n`);
    } else {
      process.env.HUB_TEST_NO_POSTGRES_REASON = `DATABASE_URL is unset and ${MACHINE_POSTGRES} did not answer: ${found}`;
    }
  }
  const logDir = mkdtempSync(path.join(tmpdir(), "hub-test-skips-"));
  const skipLog = (process.env.HUB_TEST_SKIP_LOG = path.join(logDir, "skipped.txt"));

  return () => {
    let skipped: string[] = [];
    try {
      skipped = readFileSync(skipLog, "utf8").split("\n").filter(Boolean);
    } catch {
      // no suite was skipped: the file was never written
    }
    rmSync(logDir, { recursive: true, force: true });
    if (skipped.length === 0) return;
    const line = "!".repeat(78);
    process.stderr.write(
      [
        "",
        line,
        `!!! ${skipped.length} suite(s) SKIPPED: they need a PostgreSQL server.`,
        `!!! ${process.env.HUB_TEST_NO_POSTGRES_REASON ?? ""}`,
        ...skipped.map((name) => `!!!   - ${name}`),
        "!!! Start PostgreSQL on 127.0.0.1:5432 (user postgres) or set DATABASE_URL, then run again.",
        line,
        "",
      ].join("\n"),
    );
  };
}
