import { createRequire } from "node:module";
import pino, { type DestinationStream, type Logger } from "pino";
import { describeError } from "@/server/describe-error";
import { getConfig } from "@/server/config";

/**
 * The hub's log: one JSON object per line on stdout, with `level` (pino's
 * number: 30 info, 40 warn, 50 error), `time` (ms since the epoch, UTC), `msg`,
 * and the ids that tie a line to its story — `exchangeId`, `deliveryId`,
 * `dispatchNO` — given as fields (SPEC §9). Components log through a child
 * (`log.child({ component: "delivery-worker", worker: id })`).
 *
 * Usage: `log.error({ err, deliveryId, dispatchNO }, "attempt not recorded")`.
 * Pass errors as `err` (described with their causes, in one line); never put a
 * secret in `msg` — the redaction below works on fields, not on text.
 *
 * Level from LOG_LEVEL (default info). When a person runs the hub in a terminal
 * (stdout is a TTY) and the dev dependency pino-pretty is installed, lines are
 * pretty-printed instead.
 */

/**
 * Field names whose values are never written, at the top level or one or two
 * levels down (pino's redact paths have no deep wildcard). Covers partner and
 * counterpart bearer tokens, passwords and their hashes, session secrets and
 * raw authorization / cookie headers.
 */
const SECRET_FIELDS = [
  "token",
  "password",
  "passwordHash",
  "tokenHash",
  "hash",
  "secret",
  "authorization",
  "cookie",
  "AUTH_SECRET",
  "ADMIN_PASSWORD",
  "HUB_POS_TOKEN",
  "HUB_OMS_TOKEN",
  "POS_TOKEN",
  "OMS_TOKEN",
  "METRICS_TOKEN",
  "DATABASE_URL",
];
export const REDACTED_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

export type { Logger };

/**
 * A logger writing to `destination` (default: stdout). For tests and tools;
 * the process's own logger is `log`.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const settings = {
    level: options.level ?? "info",
    base: { pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    // Errors as describeError() tells them: names, SQLSTATE, statements with
    // placeholders, stack frames — never a query's parameters (a password hash).
    serializers: { err: describeError },
  };
  return pino(settings, options.destination ?? pino.destination({ dest: 1, sync: true }));
}

// Synchronous in this thread (no transport worker: Next.js bundles do not ship
// one). A missing pino-pretty (production install) means JSON, which is fine.
function prettyStream(): DestinationStream | undefined {
  try {
    // Resolved from the working directory, out of the bundler's sight.
    const require = createRequire(`${process.cwd()}/`);
    const pinoPretty = require("pino-pretty") as (options: object) => DestinationStream;
    return pinoPretty({ colorize: true, sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" });
  } catch {
    return undefined;
  }
}

function levelFromConfig(): string {
  try {
    return getConfig().LOG_LEVEL;
  } catch {
    // A bad configuration is reported by the entry point (loadConfigOrExit), not here.
    return "info";
  }
}

// One root logger per process, whichever route bundle loads this module first.
// It writes through a sink whose target tests can swap (captureLogForTests).
type Sink = DestinationStream & { target: DestinationStream };
const holder = globalThis as unknown as { hubLog?: Logger; hubLogSink?: Sink };

function processLogger(): Logger {
  const pretty = process.stdout.isTTY ? prettyStream() : undefined;
  const sink: Sink = {
    target: pretty ?? pino.destination({ dest: 1, sync: true }),
    write(line: string) {
      return this.target.write(line);
    },
  };
  holder.hubLogSink = sink;
  return createLogger({ level: levelFromConfig(), destination: sink });
}

/** The process's logger (see the module docstring). */
export const log: Logger = (holder.hubLog ??= processLogger());

/**
 * Tests only: from now until `restore()`, the process log's lines are kept in
 * `lines` (each parsed JSON object) instead of written to stdout.
 */
export function captureLogForTests(): { lines: Record<string, unknown>[]; text(): string; restore(): void } {
  const sink = holder.hubLogSink!;
  const previous = sink.target;
  const lines: Record<string, unknown>[] = [];
  sink.target = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
  return { lines, text: () => lines.map((line) => JSON.stringify(line)).join("\n"), restore: () => void (sink.target = previous) };
}
