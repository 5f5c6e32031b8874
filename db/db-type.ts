import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/**
 * The query builder both drivers share; a transaction is one too. Its own module
 * so that what db/client.ts calls while opening the database (the session secret's
 * loader) can take a Db without importing the client back.
 */
export type Db = PgDatabase<PgQueryResultHKT>;
