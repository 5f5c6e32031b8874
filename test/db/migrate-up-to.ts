import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { Logger } from "drizzle-orm/logger";
import type { Db } from "@/db/client";

const migrationsFolder = path.join(process.cwd(), "db/migrations");

type Journal = { entries: { tag: string }[] };

/** The tag of the migration just before the one whose tag contains `part` (e.g. "partition_log_by_month"). */
export function migrationBefore(part: string): string {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as Journal;
  const index = journal.entries.findIndex((entry) => entry.tag.includes(part));
  if (index < 1) throw new Error(`no migration before one named like ${part}`);
  return journal.entries[index - 1]!.tag;
}

/** A migrations folder holding the real migrations up to and including `lastTag`, as a database was before the later ones. */
function migrationsUpTo(lastTag: string): string {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as Journal;
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  if (last < 0) throw new Error(`no migration ${lastTag}`);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "hub-migrations-"));
  fs.mkdirSync(path.join(folder, "meta"));
  const entries = journal.entries.slice(0, last + 1);
  fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const { tag } of entries) fs.copyFileSync(path.join(migrationsFolder, `${tag}.sql`), path.join(folder, `${tag}.sql`));
  return folder;
}

export type MigratingDatabase = {
  db: Db;
  /** Raw SQL with the driver's own client (rows as plain objects). */
  query<T>(text: string): Promise<T[]>;
  /** The same, with $1… parameters. */
  queryWith<T>(text: string, params: unknown[]): Promise<T[]>;
  /** Applies the real migrations not applied yet, as the hub does at start-up. */
  migrateToLatest(): Promise<void>;
  close(): Promise<void>;
};

/**
 * A database migrated up to `lastTag` only: a new database below DATABASE_URL
 * (dropped on close) when it is set, an in-memory PGlite otherwise. `name`
 * names the PostgreSQL database (default: partition_migration_<random>), so a
 * long bench run can be found in pg_stat_activity (and reniced) by its name.
 */
export async function openDatabaseAt(lastTag: string, logger?: Logger, options: { name?: string } = {}): Promise<MigratingDatabase> {
  const partial = migrationsUpTo(lastTag);
  const baseUrl = process.env.DATABASE_URL;
  try {
    if (!baseUrl) {
      const client = await PGlite.create();
      const db = drizzlePglite({ client, casing: "snake_case", logger });
      await migratePglite(db, { migrationsFolder: partial });
      return {
        db,
        query: async <T>(text: string) => (await client.query<T>(text)).rows,
        queryWith: async <T>(text: string, params: unknown[]) => (await client.query<T>(text, params)).rows,
        migrateToLatest: () => migratePglite(db, { migrationsFolder }),
        close: () => client.close(),
      };
    }
    const name = options.name ?? `partition_migration_${randomBytes(6).toString("hex")}`;
    const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
    const db = drizzlePostgres({ client, casing: "snake_case", logger });
    await migratePostgres(db, { migrationsFolder: partial });
    return {
      db,
      query: async <T>(text: string) => (await client.unsafe(text)) as unknown as T[],
      queryWith: async <T>(text: string, params: unknown[]) => (await client.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[],
      migrateToLatest: () => migratePostgres(db, { migrationsFolder }),
      async close() {
        await client.end();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
}
