// `npm start`: the hub's HTTP server — node:http with Next.js's request handler,
// so the server's own limits can be set (issues 9 and 10):
// - a client has HTTP_HEADERS_TIMEOUT_MS to send its headers and
//   HTTP_REQUEST_TIMEOUT_MS for the whole request, then gets 408 and is cut:
//   a body trickled a byte every few seconds holds no connection for long;
// - SIGTERM / SIGINT drain: stop accepting connections and calls (a call on a
//   kept-alive connection gets 503 + Retry-After + Connection: close), stop
//   claiming deliveries, let partner calls being handled finish and get their
//   answers and attempts in flight finish, within SHUTDOWN_GRACE_MS (attempts
//   past it give their leases back), close the pool, exit 0.
// - what Next.js (a route that throws: `⨯ Error …`) and libraries print through
//   the console becomes JSON log lines too, and the process's warnings (a
//   deprecation) warn lines, not error ones, unless stdout is a terminal.
// - once listening, it warms itself up (server/partner/warm-up.ts: WARM_UP_CALLS
//   store orders through its own routes, rolled back) and says ready only then.
// Start-up (database, first admin, worker) runs from instrumentation.ts as with `next start`.
import next from "next";
import { closeHubDatabase } from "@/db/client";
import { loadConfigOrExit } from "@/server/config";
import { routeProcessOutputToLog } from "@/server/console-to-log";
import { createHubServer, drainHubServer, listenOrExit } from "@/server/http-server";
import { log } from "@/server/log";
import { warmUp, warmUpCalls } from "@/server/partner/warm-up";
import { runShutdownSteps } from "@/server/shutdown";

const config = loadConfigOrExit();
routeProcessOutputToLog(log);
// Next.js needs its own address to follow a Server Action's redirect (the sign-in form's) in-process:
// without hostname and port it cannot build the request's full URL, logs "failed to get redirect
// response" and answers the action empty.
const app = next({ dev: false, dir: process.cwd(), hostname: config.HOST ?? "localhost", port: config.PORT });
await app.prepare();
const handle = app.getRequestHandler();

const server = createHubServer(handle, config);

// A port taken or refused: one fatal line and exit 1 (listenOrExit; test: server/http-server-listen.test.ts).
listenOrExit(server, config, (port) => {
  const calls = warmUpCalls(config);
  if (calls === 0) return;
  // Its own address: loopback unless it listens on one interface only.
  const host = !config.HOST || config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST;
  const startedAt = performance.now();
  void warmUp(`http://${host}:${port}`, { calls, concurrency: config.DATABASE_URL ? config.DATABASE_POOL_MAX : 1 }).then(({ answered }) =>
    log.info({ ms: Math.round(performance.now() - startedAt), answered }, "warmed up: ready for partner calls"),
  );
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, "draining: no new connections, no new claims");
    // No new connections or calls; partner calls being handled finish and are answered (drainHubServer),
    // while the background work stops (attempts in flight finish or give their leases back), both within the grace.
    const answered = drainHubServer(server, config.SHUTDOWN_GRACE_MS);
    void (async () => {
      const [{ unanswered }] = await Promise.all([answered, runShutdownSteps(config.SHUTDOWN_GRACE_MS)]);
      await closeHubDatabase().catch(() => {});
      log.info({ unanswered }, "stopped");
      process.exit(0);
    })();
  });
}
