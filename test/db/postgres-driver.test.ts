import { connect, type Socket } from "node:net";
import postgres from "postgres";
import { afterAll, expect, test } from "vitest";
import { describeWithPostgres, postgresServerUrl } from "@/test/postgres-server";

// postgres.js 3.4.9 as patched by patches/postgres+3.4.9.patch (upstream
// porsager/postgres#1154, fix #1209): when the socket closes while a write is
// scheduled (PostgreSQL restarted, a connection terminated), the unpatched driver
// keeps a cancelled write timer and every later query on that connection hangs,
// or the scheduled write throws from a timer where nothing can catch it.

/** Rejects when `promise` has not settled after `ms`: a hung query fails the test instead of stalling it. */
function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms: the connection hangs`)), ms);
  });
  return Promise.race([promise, hung]).finally(() => clearTimeout(timer));
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
  afterAll(() => sql.end({ timeout: 1 }));

  test("a socket closed under a scheduled write fails that query, and the next query on the connection answers", async () => {
    expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", onUncaught);
    try {
      // Queued ahead of the query's own write (scheduled with setImmediate once the query starts):
      // the socket closes between the write being scheduled and it running, as when PostgreSQL restarts.
      const socket = sockets.at(-1)!;
      setImmediate(() => {
        socket.destroy();
        socket.emit("close", false);
      });
      const cut = await settlesWithin(sql`select 2 as two`.then(() => "answered", (error: Error) => error.message), 10_000);
      expect(cut).toMatch(/CONNECTION_CLOSED|write CONNECTION_CLOSED|closed/i);

      expect(await settlesWithin(sql`select 3 as three`, 10_000)).toEqual([{ three: 3 }]);
      expect(sockets.length).toBe(2); // it reconnected on a new socket
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  });
});
