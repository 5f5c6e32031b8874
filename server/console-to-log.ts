import { format } from "node:util";
import { describeError } from "@/server/describe-error";
import type { Logger } from "@/server/log";

/**
 * Routes the console through the hub's log in the production server (`npm
 * start`, server/http-main.ts), so what Next.js and libraries print is one JSON
 * line like the rest (SPEC §9): when a route throws, Next.js prints
 * `⨯ Error: … at …` (a multi-line stack) through console.error; after this it is
 * `{"level":50,"time":…,"msg":"boom","err":[{name,message,stack}],"console":"error"}`.
 *
 * console.error → error (50), console.warn → warn (40), console.log and
 * console.info → info (30), console.debug → debug (20). The first Error among
 * the arguments becomes `err` (serialised by the log's describeError: names,
 * SQLSTATE, stack frames, never a query's parameters); the other arguments are
 * formatted as console would (util.format), without colour codes or Next.js's
 * one-symbol prefix (⨯ ⚠ ○ ✓ ▲ »), into `msg` — or, when they say nothing, the
 * error's message as describeError tells it (quoted values cut).
 *
 * When stdout is a TTY a person is reading: the console is left as it is.
 * Returns a function that puts the console's methods back.
 */
export function routeConsoleToLog(logger: Logger, target: ConsoleMethods = console, isTTY = process.stdout.isTTY === true): () => void {
  if (isTTY) return () => {};
  const previous = { ...pick(target) };
  for (const [method, level] of Object.entries(LEVEL_OF) as [Method, Level][]) {
    target[method] = (...args: unknown[]) => {
      const { err, msg } = lineOf(args);
      logger[level](err ? { err, console: method } : { console: method }, msg || (err ? messageOf(err) : ""));
    };
  }
  return () => Object.assign(target, previous);
}

type Method = "error" | "warn" | "log" | "info" | "debug";
type Level = "error" | "warn" | "info" | "debug";
export type ConsoleMethods = Record<Method, (...args: unknown[]) => void>;

const LEVEL_OF: Record<Method, Level> = { error: "error", warn: "warn", log: "info", info: "info", debug: "debug" };

const pick = (target: ConsoleMethods) =>
  Object.fromEntries(Object.keys(LEVEL_OF).map((method) => [method, target[method as Method]])) as ConsoleMethods;

// Colour codes (picocolors, chalk) — a collector would store them as text.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
// Next.js's log prefixes (next/dist/build/output/log.js), alone or leading the text.
const NEXT_PREFIX = /^\s*[⨯⚠○✓▲»]\s*/u;

function lineOf(args: unknown[]): { err?: unknown; msg: string } {
  const index = args.findIndex((arg) => arg instanceof Error);
  const err = index >= 0 ? args[index] : undefined;
  const rest = args.filter((_, i) => i !== index).map((arg) => (typeof arg === "string" ? arg.replace(ANSI, "") : arg));
  const msg = rest.length ? format(...rest).replace(NEXT_PREFIX, "").trim() : "";
  return { err, msg };
}

const messageOf = (err: unknown) => String(describeError(err)[0]?.message ?? describeError(err)[0]?.name ?? "error");

type WarningSource = Pick<NodeJS.Process, "listeners" | "removeListener" | "on">;

/**
 * Logs the process's warnings (process.emitWarning: a deprecation such as
 * DEP0005 `Buffer()`, an experimental feature, a listener leak) as one JSON line
 * at warn (40), not error: Node's own printer writes them through console.error,
 * which routeConsoleToLog makes level 50 — and an error line trips the error
 * alerts for what is a note to developers. The line: `msg` "DeprecationWarning:
 * Buffer() is deprecated …", `warning` {name, code}, and the warning as `err`
 * (its stack says who called: for DEP0005 in the Excel export, exceljs' zip
 * writer's archiver-utils `normalizeInputSource`).
 *
 * Replaces Node's printer (the 'warning' listeners present now). When stdout
 * is a TTY it is left as it is. Returns a function that puts it back.
 */
export function routeProcessWarningsToLog(logger: Logger, source: WarningSource = process, isTTY = process.stdout.isTTY === true): () => void {
  if (isTTY) return () => {};
  const previous = source.listeners("warning") as ((warning: Error) => void)[];
  for (const listener of previous) source.removeListener("warning", listener);
  const onWarning = (warning: Error & { code?: string }) =>
    logger.warn({ err: warning, warning: { name: warning.name, code: warning.code } }, `${warning.name}: ${warning.message}`);
  source.on("warning", onWarning);
  return () => {
    source.removeListener("warning", onWarning);
    for (const listener of previous) source.on("warning", listener);
  };
}

/**
 * What every long-running entry point (`npm start`: server/http-main.ts, `npm
 * run worker`: server/delivery/worker-main.ts) does first: the console and the
 * process's warnings become JSON log lines (routeConsoleToLog,
 * routeProcessWarningsToLog). One function, so a new entry point cannot route
 * one and forget the other (test: console-to-log-warnings.test.ts).
 */
export function routeProcessOutputToLog(logger: Logger): void {
  routeConsoleToLog(logger);
  routeProcessWarningsToLog(logger);
}
