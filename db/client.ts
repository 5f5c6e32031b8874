import { hostname } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Db } from "@/db/db-type";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { getConfig } from "@/server/config";
import { log } from "@/server/log";
import { loadAuthSecret } from "@/db/auth-secret";
import { makeFolderPrivate } from "@/server/private-folder";

export type { Db };

export type HubDatabase = {
  db: Db;
  driver: "postgres" | "pglite";
  /** The pool's connections' application_name (PostgreSQL only): one per process, for pg_stat_activity. */
  applicationName?: string;
  /**
   * The listening connection's application_name (PostgreSQL only). `listen` holds one connection of its
   * own beside the pool, opened at the first LISTEN (the delivery worker's wake-ups, live updates):
   * a process has up to poolMax + 1 sessions.
   */
  listenerApplicationName?: string;
  /** Connections the pool may open (the listening connection not counted). */
  poolMax: number;
  /** Runs `LISTEN channel` on the listening connection; returns the unlisten function. */
  listen: (channel: string, onNotify: (payload: string) => void) => Promise<() => Promise<void>>;
  close: () => Promise<void>;
};

const migrationsFolder = path.join(process.cwd(), "db/migrations");
// Any constant: serialises migrations when several instances start at once.
const MIGRATION_LOCK = 728_133_001;

/**
 * drizzle runs each query as an unnamed statement, which postgres.js sends in
 * two round trips whenever it has parameters (parse and describe, then bind and
 * execute). As named statements, cached per connection, they take one round trip
 * from their second use: a partner call's transaction waits half as often.
 */
function namedStatements(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      const call = value as (...args: unknown[]) => unknown;
      if (property === "unsafe") {
        return (query: string, params?: unknown[], options?: object) => call(query, params, { ...options, prepare: true });
      }
      // Transactions and savepoints run on a scoped client of their own.
      if (property === "begin" || property === "savepoint") {
        return (...args: unknown[]) => {
          const run = args.pop() as (scoped: postgres.Sql) => unknown;
          return call(...args, (scoped: postgres.Sql) => run(namedStatements(scoped)));
        };
      }
      return value;
    },
  });
}

async function openPostgres(url: string, poolMax: number): Promise<HubDatabase> {
  const migrator = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres({ client: migrator }), { migrationsFolder });
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await migrator.end();
  }
  // PostgreSQL keeps 63 bytes of an application_name; the listener's suffix must survive the cut.
  const name = `dispatch-hub ${hostname()}:${process.pid}`.slice(0, 63 - " listen".length);
  const applicationName = name;
  const listenerApplicationName = `${name} listen`;
  const options = {
    onnotice: () => {},
    // Drop idle sockets so a restarted server is reconnected to cleanly.
    idle_timeout: 30,
    connect_timeout: 5,
  };
  const client = postgres(url, { ...options, max: poolMax, connection: { application_name: applicationName } });
  // postgres.js listens on a connection of its own (max 1, never idled out) beside the pool; this client
  // runs nothing else, so that connection is the only one it opens, named apart for pg_stat_activity.
  const listener = postgres(url, { ...options, max: 1, connection: { application_name: listenerApplicationName } });
  return {
    db: drizzlePostgres({ client: namedStatements(client), casing: "snake_case" }),
    driver: "postgres",
    applicationName,
    listenerApplicationName,
    poolMax,
    async listen(channel, onNotify) {
      const subscription = await listener.listen(channel, onNotify);
      return () => subscription.unlisten();
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), listener.end({ timeout: 5 })]);
    },
  };
}

async function openPglite(dataDir: string): Promise<HubDatabase> {
  if (dataDir !== "memory://") {
    // Folders PGlite creates later follow the umask: nothing for the group or others in this process.
    process.umask(process.umask() | 0o077);
    const fixed = makeFolderPrivate(dataDir);
    if (fixed.length > 0) log.warn({ dataDir: path.resolve(dataDir), fixed: fixed.length }, "DATA_DIR was readable by others: made private (0700 / 0600)");
  }
  const client = dataDir === "memory://" ? await PGlite.create() : await PGlite.create(path.resolve(dataDir));
  // A new database is unpacked with its files 0666 whatever the umask: tighten them now.
  if (dataDir !== "memory://") makeFolderPrivate(dataDir);
  await migratePglite(drizzlePglite({ client }), { migrationsFolder });
  return {
    db: drizzlePglite({ client, casing: "snake_case" }),
    driver: "pglite",
    poolMax: 1,
    async listen(channel, onNotify) {
      const unlisten = await client.listen(channel, onNotify);
      return unlisten;
    },
    close: () => client.close(),
  };
}

export async function openDatabase(config = getConfig()): Promise<HubDatabase> {
  return config.DATABASE_URL
    ? openPostgres(config.DATABASE_URL, config.DATABASE_POOL_MAX)
    : openPglite(config.DATA_DIR);
}

// Next.js may load this module once per route bundle; the process needs one pool.
const holder = globalThis as unknown as { hubDatabase?: Promise<HubDatabase> };

/**
 * The process's database, opened (and migrated) on first use, with the
 * session secret loaded from it (db/auth-secret.ts).
 * @throws during `next build` (SPEC §9: a build opens no database): a page that
 *   reaches the database while being prerendered must be made dynamic instead,
 *   or the build would create DATA_DIR, an embedded database and a first admin.
 */
export function getHubDatabase(): Promise<HubDatabase> {
  if (process.env.NEXT_PHASE === "phase-production-build") {
    return Promise.reject(new Error("no database during next build: make the page that asked dynamic (await connection())"));
  }
  // The session secret is loaded as the database opens, before anything can sign a cookie or seal a secret.
  holder.hubDatabase ??= openDatabase()
    .then(async (hub) => {
      await loadAuthSecret(hub.db).catch(async (error: unknown) => {
        await hub.close().catch(() => {});
        throw error;
      });
      return hub;
    })
    .catch((error: unknown) => {
      holder.hubDatabase = undefined;
      throw error;
    });
  return holder.hubDatabase;
}

/** The process's database if something already opened it, else undefined (opens nothing: for background re-reads). */
export function openedHubDatabase(): Promise<HubDatabase> | undefined {
  return holder.hubDatabase;
}

export async function getDb(): Promise<Db> {
  return (await getHubDatabase()).db;
}

export async function closeHubDatabase(): Promise<void> {
  const open = holder.hubDatabase;
  holder.hubDatabase = undefined;
  if (open) await (await open).close();
}
