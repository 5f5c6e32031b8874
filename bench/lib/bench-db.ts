import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { getConfig } from "@/server/config";

export const SERVER_URL = process.env.BENCH_SERVER_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  try {
    return await run(sql);
  } finally {
    await sql.end();
  }
}

/**
 * Creates the database unless it exists, and brings its schema up to date with
 * the hub's migrations (unless `migrate: false`: a fresh start, the hub migrates it).
 */
export async function prepareDatabase(name: string, options: { migrate?: boolean } = {}): Promise<string> {
  await onServer(async (sql) => {
    const [found] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!found) await sql.unsafe(`create database "${name}"`);
  });
  const url = databaseUrl(name);
  if (options.migrate === false) return url;
  const hub = await openDatabase({ ...getConfig(), DATABASE_URL: url });
  await hub.close();
  return url;
}

export async function dropDatabase(name: string): Promise<void> {
  await onServer((sql) => sql.unsafe(`drop database if exists "${name}" with (force)`));
}
