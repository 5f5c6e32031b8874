import { connect, type Socket } from "node:net";
import postgres from "postgres";
import { afterAll, expect, test } from "vitest";
import { describeWithPostgres, postgresServerUrl } from "@/test/postgres-server";

// postgres.js 3.4.9 as patched by patches/postgres+3.4.9.patch. Two faults of
// the driver when a socket closes (PostgreSQL restarted, a connection terminated):
// - a write scheduled on it throws from a timer where nothing can catch it, or the
//   cancelled write timer hangs every later query (upstream porsager/postgres#1209);
// - a transaction whose connection closed keeps running its callback: once the
//   connection reconnects for other work, its late queries and its commit or
//   rollback land in another caller's transaction, which then waits forever
//   "idle in transaction" (upstream porsager/postgres#1215; seen here as
//   test/reliability/database-outage.test.ts stalling after a restart);
// - a query sent between a socket's 'error' and its 'close' was never failed:
//   left queued, it took the reconnected connection's answers and an insert of
//   the hub sat "active, ClientRead" forever (pg_terminate_backend under load);
// - a connection terminated while it fetches the array types (the first query
//   on every new connection) rejected that internal query with nobody listening:
//   an unhandled rejection, which fails a process run with strict settings.

/** Rejects when `promise` has not settled after `ms`: a hung query fails the test instead of stalling it. */
function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms: the connection hangs`)), ms);
  });
  return Promise.race([promise, hung]).finally(() => clearTimeout(timer));
}

/** A promise with its resolve (Promise.withResolvers needs Node 22). */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describeWithPostgres("postgres.js with the connection-close patch", () => {
  const sockets: Socket[] = [];
  const url = new URL(postgresServerUrl ?? "postgres://unused");
  /**
   * Options for a pool of one connection on sockets the test holds (`socket`: a documented option,
   * README "Custom socket", that the driver's types leave out), so it can cut one at the worst moment.
   */
  const oneConnection = (onSocket: (socket: Socket) => void) => ({
    max: 1,
    onnotice: () => {},
    socket: () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect({ host: url.hostname, port: Number(url.port || 5432) }, () => resolve(socket));
        socket.once("error", reject);
        onSocket(socket);
      }),
  });
  const options = oneConnection((socket) => sockets.push(socket));
  const sql = postgres(url.toString(), options);
  afterAll(async () => {
    await sql`drop table if exists postgres_driver_probe`;
    await sql.end({ timeout: 1 });
  });

  /** Closes the connection's socket as PostgreSQL's restart does: no error, just gone. */
  function cutSocket() {
    const socket = sockets.at(-1)!;
    socket.destroy();
    socket.emit("close", false);
  }

  test("a socket closed under a scheduled write fails that query, and the next query on the connection answers", async () => {
    expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", onUncaught);
    try {
      // Queued ahead of the query's own write (scheduled with setImmediate once the query starts):
      // the socket closes between the write being scheduled and it running, as when PostgreSQL restarts.
      setImmediate(cutSocket);
      const cut = await settlesWithin(sql`select 2 as two`.then(() => "answered", (error: Error) => error.message), 10_000);
      expect(cut).toMatch(/CONNECTION_CLOSED|write CONNECTION_CLOSED|closed/i);

      expect(await settlesWithin(sql`select 3 as three`, 10_000)).toEqual([{ three: 3 }]);
      expect(sockets.length).toBe(2); // it reconnected on a new socket
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  });

  test("a transaction whose connection closed sends nothing more: its late query fails, and its commit cannot end the next transaction", async () => {
    await sql`create table if not exists postgres_driver_probe (n int)`;
    const opened = { a: deferred(), b: deferred() };
    const resume = { a: deferred(), b: deferred() };
    let late = "";
    const a = sql
      .begin(async (tx) => {
        await tx`select 1`;
        opened.a.resolve();
        await resume.a.promise; // the connection closes here, while the callback waits on other work
        late = await tx`insert into postgres_driver_probe values (1)`.then(() => "ran", (error: Error) => error.message);
      })
      .then(() => "committed", (error: Error) => error.message);
    await opened.a.promise;
    cutSocket();
    expect(await settlesWithin(a, 10_000)).toMatch(/CONNECTION_CLOSED/);

    // The pool's one connection reconnects for B; A's callback resumes while B's transaction is open.
    const b = sql
      .begin(async (tx) => {
        await tx`insert into postgres_driver_probe values (2)`;
        opened.b.resolve();
        await resume.b.promise;
        throw new Error("B rolls back");
      })
      .then(() => "committed", (error: Error) => error.message);
    await opened.b.promise;
    resume.a.resolve();
    await settlesWithin(new Promise<void>((resolve) => { const check = () => (late ? resolve() : setImmediate(check)); check(); }), 10_000);
    await new Promise((resolve) => setImmediate(resolve)); // A's scope would send its commit now
    resume.b.resolve();

    expect(late).toMatch(/CONNECTION_CLOSED/);
    expect(await settlesWithin(b, 10_000)).toBe("B rolls back");
    // Nothing of A's, and B's insert rolled back: A's commit did not commit B's work.
    expect(await settlesWithin(sql`select count(*)::int as n from postgres_driver_probe`, 10_000)).toEqual([{ n: 0 }]);
  });

  test("a connection terminated while it fetches array types fails the waiting query, raises nothing unhandled, and the next query answers", async () => {
    // PostgreSQL's answer to pg_terminate_backend: an ErrorResponse FATAL 57P01, then the socket closes.
    const field = (code: string, text: string) => Buffer.concat([Buffer.from(code), Buffer.from(text), Buffer.from([0])]);
    const fields = Buffer.concat([
      field("S", "FATAL"),
      field("V", "FATAL"),
      field("C", "57P01"),
      field("M", "terminating connection due to administrator command"),
      Buffer.from([0]),
    ]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(fields.length + 4);
    const fatal = Buffer.concat([Buffer.from("E"), length, fields]);

    let terminated = false;
    const own = postgres(url.toString(), {
      ...oneConnection((socket) => {
          const write = socket.write.bind(socket) as (chunk: Buffer, ...rest: unknown[]) => boolean;
          socket.write = ((chunk: Buffer, ...rest: unknown[]) => {
            if (!terminated && chunk.includes("typcategory")) {
              terminated = true; // the types query never reaches the server: it is terminated instead
              queueMicrotask(() => {
                socket.emit("data", fatal);
                socket.destroy();
                socket.emit("close", false);
              });
              return true;
            }
            return write(chunk, ...rest);
          });
        }),
    } as Parameters<typeof postgres>[1]);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const first = await settlesWithin(own`select 1 as one`.then(() => "answered", (error: Error) => error.message), 10_000);
      expect(terminated).toBe(true);
      expect(first).toMatch(/answered|terminating connection/);
      expect(await settlesWithin(own`select 2 as two`, 10_000)).toEqual([{ two: 2 }]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await own.end({ timeout: 1 });
    }
  });

  test("a query sent between a socket error and its close fails, and the next query gets its own answer", async () => {
    expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
    const socket = sockets.at(-1)!;
    const turn = () => new Promise((resolve) => setImmediate(resolve)); // the driver dispatches and writes a query a turn later
    // Still running on the server (it sleeps 1 s) when the socket fails.
    const running = sql`select pg_sleep(1), 'running' as answer`.then(() => "answered", (error: Error) => error.message);
    await turn();
    socket.emit("error", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })); // the driver fails what is in flight
    const between = sql`select 'between' as answer`.then(() => "answered", (error: Error) => error.message); // sent on the same connection
    await turn();
    socket.destroy();
    socket.emit("close", true);
    expect(await settlesWithin(running, 10_000)).toMatch(/ECONNRESET|CONNECTION_CLOSED/);
    expect(await settlesWithin(between, 10_000)).toMatch(/CONNECTION_CLOSED|ECONNRESET/);
    expect(await settlesWithin(sql`select 'next' as answer`, 10_000)).toEqual([{ answer: "next" }]);
  });
});
