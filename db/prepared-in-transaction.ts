import { is, Param, Placeholder, type Query } from "drizzle-orm";
import type { PgPreparedQuery, PreparedQueryConfig } from "drizzle-orm/pg-core";
import { PgRaw } from "drizzle-orm/pg-core/query-builders/raw";
import type { Db } from "@/db/db-type";

/**
 * What drizzle keeps on a prepared query besides its SQL (drizzle-orm 0.45:
 * pg-core/session.js and the postgres-js / pglite sessions set these fields
 * from the builder's `_prepare`): how to map result rows back to the builder's
 * selection. Internal to drizzle, read once per statement here.
 */
type DrizzlePrepared = PgPreparedQuery<PreparedQueryConfig> & {
  fields?: unknown;
  joinsNotNullableMap?: Record<string, boolean>;
  customResultMapper?: unknown;
  isResponseInArrayMode(): boolean;
};

/** The part of drizzle's session this module calls (pg-core/session.js `prepareQuery`). */
type Session = {
  prepareQuery(query: Query, fields: unknown, name: string, isResponseInArrayMode: boolean, customResultMapper?: unknown): DrizzlePrepared;
};

type Built = {
  query: Query;
  /** One per parameter: its driver value, from the call's values or fixed at build. */
  fill: ((values: Record<string, unknown>) => unknown)[];
  fields: unknown;
  joinsNotNullableMap: Record<string, boolean> | undefined;
  customResultMapper: unknown;
  arrayMode: boolean;
};

/**
 * A drizzle query builder that can be prepared and executed (select, insert, update, delete; with or without
 * returning), or `db.execute(sql\`...\`)` for SQL the builder cannot say (an INSERT ... SELECT naming its
 * columns), which resolves to the driver's own result.
 */
type Preparable = { prepare(name: string): unknown; execute(): Promise<unknown> } | PgRaw<unknown>;

/** What awaiting the builder gives: rows of its selection, or the driver's result without `returning`. */
type ResultOf<Q extends Preparable> = Q extends { execute(): Promise<infer R> } ? R : never;

export type PreparedStatement<Q extends Preparable> = {
  /** The statement's name (as sent to PostgreSQL by db/client.ts's named statements). */
  readonly name: string;
  /**
   * Runs the statement on `db` (the database or a transaction of either driver) with
   * `values` for its placeholders; resolves to what the builder's own `await` would give
   * (returning / selected fields as camelCase objects, timestamps as Date).
   * @throws drizzle's DrizzleQueryError wrapping the driver's error, as the builder would;
   *   Error when a placeholder has no value.
   */
  run(db: Db, values?: Record<string, unknown>): Promise<ResultOf<Q>>;
};

/**
 * A statement built once with drizzle's typed builder and `sql.placeholder(name)`,
 * run on any `tx` or `db` with values, without building it again.
 *
 * drizzle 0.45's own `.prepare()` is bound to the session it was built on (the
 * database, not a transaction), and building a query on every call was the largest
 * part of the hub's CPU we own (bench/findings.md "Hot path"). So the builder runs
 * once, on the first `run` (it needs a session's dialect; every Db here is
 * snake_case), and each run only hands the built SQL to the transaction's session
 * (`session.prepareQuery`, as the builder's `_prepare` does), which maps rows
 * exactly as drizzle does.
 *
 * Values: a placeholder inside `.values({...})` is encoded by its column (jsonb →
 * JSON, timestamp → ISO string), as a literal would be; one inside
 * `eq(col, sql.placeholder(...))` or `sql\`${sql.placeholder(...)}\`` (the way to
 * put one in `.set({...})`, whose types refuse a bare placeholder) is sent as given,
 * but for a Date, sent as its ISO string: pass driver values (number, string,
 * Date; JSON.stringify a jsonb value). Columns left out of `.values()` take the table's
 * SQL default, but a placeholder given null or undefined is SQL NULL; a `$defaultFn` would be evaluated once, at build time — give such
 * columns a placeholder. Only fixed-shape statements belong here: a statement whose
 * SQL depends on the call (optional conditions) must be built per call, and any number
 * of rows travels as one JSON array read with `jsonb_to_recordset` (create-notice.ts);
 * `db.execute(sql\`insert into t (a, b) select ...\`)` names the columns it fills, where
 * the builder's `.insert(t).select(sql)` would fill every column, the id too.
 *
 * @param name unique per statement in the process (PostgreSQL caches it per connection by its SQL)
 * @param build makes the query on the db given (never awaited)
 */
export function preparedInTransaction<Q extends Preparable>(name: string, build: (db: Db) => Q): PreparedStatement<Q> {
  let built: Built | undefined;
  return {
    name,
    async run(db, values = {}) {
      built ??= buildOnce(build(db), name);
      const session = (db as unknown as { _: { session: Session } })._.session;
      const params = built.fill.map((fill) => fill(values));
      const prepared = session.prepareQuery(
        { sql: built.query.sql, params },
        built.fields,
        name,
        built.arrayMode,
        built.customResultMapper,
      );
      if (built.joinsNotNullableMap) prepared.joinsNotNullableMap = built.joinsNotNullableMap;
      return (await prepared.execute()) as ResultOf<Q>;
    },
  };
}

function buildOnce(query: Preparable, name: string): Built {
  // db.execute built its SQL already (it runs nothing until awaited): no selection to map.
  if (is(query, PgRaw)) {
    const built = query.getQuery();
    return { query: built, fill: built.params.map(filler), fields: undefined, joinsNotNullableMap: undefined, customResultMapper: undefined, arrayMode: false };
  }
  const prepared = query.prepare(name) as DrizzlePrepared;
  const built = prepared.getQuery();
  return {
    query: built,
    fill: built.params.map(filler),
    fields: prepared.fields,
    joinsNotNullableMap: prepared.joinsNotNullableMap,
    customResultMapper: prepared.customResultMapper,
    arrayMode: prepared.isResponseInArrayMode(),
  };
}

/** drizzle's fillPlaceholders (sql/sql.js), decided once per parameter instead of per call. */
function filler(param: unknown): (values: Record<string, unknown>) => unknown {
  const named = (placeholder: Placeholder) => (values: Record<string, unknown>) => {
    if (!(placeholder.name in values)) throw new Error(`No value for placeholder "${placeholder.name}" was provided`);
    return values[placeholder.name];
  };
  // is(), not instanceof: a bundle may hold two copies of drizzle (once per statement, so its cost does not matter).
  if (is(param, Placeholder)) {
    const value = named(param);
    // drizzle's postgres.js client passes timestamps through as strings (it encodes Dates itself): so do we.
    return (values) => {
      const given = value(values);
      return given instanceof Date ? given.toISOString() : given;
    };
  }
  if (is(param, Param) && is(param.value, Placeholder)) {
    const value = named(param.value);
    const encoder = param.encoder;
    return (values) => {
      const given = value(values);
      // As drizzle treats a literal null (a placeholder's null would reach the encoder: jsonb 'null', a Date's method on null).
      return given == null ? null : encoder.mapToDriverValue(given);
    };
  }
  return () => param;
}
