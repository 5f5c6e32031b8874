import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { closeHubDatabase, getDb, type Db } from "@/db/client";
import { setConfigForTests } from "@/server/config";
import { postgresServerUrl } from "@/test/postgres-server";

// The server tests were pointed at (CI: a fresh database of its own). Each test
// file gets a database of its own below it, so files can run in parallel.
const baseUrl = (process.env.HUB_TEST_BASE_URL ??= process.env.DATABASE_URL ?? "");

/**
 * A migrated, empty database for this test file: a new Postgres database when
 * DATABASE_URL is set, an in-memory PGlite otherwise. The hub's own getDb()
 * returns it (through setConfigForTests), so route handlers under test use it too.
 * `{ server: true }` (inside describeWithPostgres, test/postgres-server.ts): always
 * on a PostgreSQL server, the machine's when DATABASE_URL is unset.
 */
export function useTestDatabase(options: { server?: boolean } = {}) {
  const handle = {} as { db: Db; url?: string };
  let created: string | undefined;

  const serverUrl = baseUrl || (options.server ? postgresServerUrl : undefined);

  beforeAll(async () => {
    await closeHubDatabase();
    if (serverUrl) {
      created = `hub_test_${randomBytes(6).toString("hex")}`;
      const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${created}`);
      await admin.end();
      const url = new URL(serverUrl);
      url.pathname = `/${created}`;
      // The environment too: child processes a test spawns inherit it.
      handle.url = process.env.DATABASE_URL = url.toString();
      setConfigForTests({ DATABASE_URL: handle.url });
    } else {
      delete process.env.DATABASE_URL;
      process.env.DATA_DIR = "memory://";
      setConfigForTests({ DATABASE_URL: undefined, DATA_DIR: "memory://" });
    }
    handle.db = await getDb();
  });

  afterAll(async () => {
    await closeHubDatabase();
    if (created && serverUrl) {
      const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${created} with (force)`);
      await admin.end();
    }
  });

  return handle;
}
