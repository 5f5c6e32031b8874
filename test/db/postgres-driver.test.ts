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
//   test/reliability/database-outage.test.ts stalling after a restart).

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
  // One connection, on sockets this test holds, so it can close the socket at the worst moment.
  const options = {
    max: 1,
    onnotice: () => {},
    // A documented option (README "Custom socket") that the driver's types leave out.
    socket: () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect({ host: url.hostname, port: Number(url.port || 5432) }, () => resolve(socket));
        socket.once("error", reject);
        sockets.push(socket);
      }),
  };
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
});
