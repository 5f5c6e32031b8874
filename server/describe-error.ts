/**
 * What the server log may say about a failed dashboard call: enough to find the
 * fault (error names, SQLSTATE, the statement with its `$n` placeholders, the
 * table/column/constraint, stack frames) and nothing a caller typed. drizzle's
 * `DrizzleQueryError` message embeds every parameter ("params: …", a password
 * hash when creating a user), and PostgreSQL quotes values in its messages
 * (`invalid input syntax for type integer: "…"`) and details (`Key (email)=(…)`);
 * both are left out or cut. (Issue 9: "the log gets the detail without parameters".)
 */

/** Replaces every quoted part of a driver message ("…" or '…') with "…". Cut to 300 characters. */
export function redactQuoted(message: string): string {
  return message
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .slice(0, 300);
}

/** Stack frames only: the first lines of `stack` repeat the message, which may carry parameters. */
function framesOf(error: Error): string | undefined {
  const frames = error.stack?.split("\n").filter((line) => /^\s+at /.test(line));
  return frames?.length ? frames.slice(0, 8).join("\n") : undefined;
}

type Described = Record<string, string | number | undefined>;

function describeOne(error: unknown): Described {
  if (!(error instanceof Error)) return { type: typeof error };
  const fields = error as Error & Record<string, unknown>;
  const text = (key: string) => (typeof fields[key] === "string" ? (fields[key]) : undefined);
  const sqlstate = text("code");
  if (sqlstate && /^[0-9A-Z]{5}$/.test(sqlstate)) {
    // A driver error (postgres.js PostgresError, PGlite's DatabaseError): its `detail` quotes values, left out.
    return {
      name: error.name,
      sqlstate,
      message: redactQuoted(error.message),
      query: text("query")?.slice(0, 2000),
      table: text("table") ?? text("table_name"),
      column: text("column") ?? text("column_name"),
      constraint: text("constraint") ?? text("constraint_name"),
      routine: text("routine"),
    };
  }
  if (sqlstate && /^[A-Z_]+$/.test(sqlstate)) {
    // postgres.js's own errors (CONNECTION_CLOSED, CONNECT_TIMEOUT, …): the code and a message naming the
    // server's address, no values. They carry `query` too, so without this they read as the drizzle case
    // below, and "attempt not recorded" said nothing of why.
    return { name: error.name, code: sqlstate, message: redactQuoted(error.message) };
  }
  if (typeof fields.query === "string") {
    // drizzle's DrizzleQueryError: the statement with placeholders is safe; `params` and the message are not.
    return { name: error.name, query: text("query")?.slice(0, 2000) };
  }
  return { name: error.name, message: redactQuoted(error.message), stack: framesOf(error) };
}

/**
 * Describes an error and its causes (outermost first, at most 5) for the log.
 * Returns plain objects with string/number fields; never includes parameters.
 */
export function describeError(error: unknown): Described[] {
  const chain: Described[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 5) {
    chain.push(describeOne(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}
