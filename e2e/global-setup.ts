import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, readdirSync, statSync } from "node:fs";
import { createConnection } from "node:net";
import path from "node:path";
import postgres from "postgres";
import { DELIVERY_DEADLINE_SECONDS, hubUrl, ports, robotUrl, tokens, users } from "@/e2e/support/env";
import { startFakePartners } from "@/e2e/support/fake-partners";
import { hubStderrFile, hubStdoutFile, readHubLog } from "@/e2e/support/hub-log";
import { buildWithoutSideEffects } from "@/scripts/lib/build-without-side-effects";

// One hub for the whole run: a production build of this checkout served as
// production serves it (`npm start`: server/http-main.ts), a fresh Postgres
// database, the fake POS and OMS. Returns the teardown, which also checks that
// every line the hub printed on stdout was a JSON log line (README "Ship the log").

const root = path.resolve(import.meta.dirname, "..");
const DIST_DIR = ".next-e2e";
const SOURCES = ["app", "components", "lib", "server", "trpc", "db", "auth.ts", "instrumentation.ts", "next.config.mjs", "package.json", "postcss.config.mjs"];

function newestSource(entry: string): number {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  // A folder's own time moves when a file in it is deleted or renamed.
  return Math.max(stat.mtimeMs, ...readdirSync(full).map((name) => newestSource(path.join(entry, name))));
}

/** Builds unless .next-e2e is at least as new as every source file (E2E_REBUILD=1 forces it). */
function buildIfStale() {
  const buildId = path.join(root, DIST_DIR, "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (process.env.E2E_REBUILD !== "1" && builtAt > Math.max(...SOURCES.map(newestSource))) return;
  console.log(`[e2e] next build into ${DIST_DIR}, with no database reachable and no DATA_DIR …`);
  // The one build CI makes doubles as the check that building has no side effects.
  buildWithoutSideEffects(root, DIST_DIR);
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      reject(new Error(`port ${port} is taken; set E2E_PORT to another base port`));
    });
    socket.once("error", () => resolve());
  });
}

async function createDatabase() {
  const server = new URL(process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres");
  server.pathname = "/postgres";
  const name = `hub_e2e_${Date.now()}_${randomBytes(2).toString("hex")}`;
  const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = postgres(server.toString(), { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

/** The hub, and a promise that its output files are complete (both streams ended and flushed after it exits). */
function startHub(databaseUrl: string): { hub: ChildProcess; outputWritten: Promise<unknown> } {
  const stdout = createWriteStream(hubStdoutFile);
  const stderr = createWriteStream(hubStderrFile);
  // `npm start` without npm in between, so SIGTERM reaches the hub itself.
  const hub = spawn(process.execPath, ["--import", "tsx", "server/http-main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(ports.hub),
      HOST: "127.0.0.1",
      NEXT_DIST_DIR: DIST_DIR,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      POS_BASE_URL: `http://127.0.0.1:${ports.pos}`,
      OMS_BASE_URL: `http://127.0.0.1:${ports.oms}`,
      POS_TOKEN: tokens.pos,
      OMS_TOKEN: tokens.oms,
      HUB_POS_TOKEN: tokens.hubPos,
      HUB_OMS_TOKEN: tokens.hubOms,
      ADMIN_EMAIL: users.admin.email,
      ADMIN_PASSWORD: users.admin.password,
      AUTH_SECRET: randomBytes(32).toString("hex"),
      AUTH_TRUST_HOST: "true",
      DELIVERY_DEADLINE_SECONDS: String(DELIVERY_DEADLINE_SECONDS),
      // Fakes answer at once; 2 s leaves room for a busy machine without slowing anything.
      DELIVERY_TIMEOUT_MS: "2000",
      WORKER: "on",
      // Warming up (300 rolled-back calls before ready) is for latency, which no spec measures;
      // its CPU would compete with the first specs. server/partner/warm-up.test.ts tests it.
      WARM_UP_CALLS: "0",
      // Alerts go to the fake WeCom robot; rules evaluated every second so a spec sees them at once.
      ALERT_WECOM_WEBHOOK_URL: `${robotUrl}/wecom?key=e2e-wecom-key`,
      ALERT_EVALUATE_INTERVAL_MS: "1000",
      HUB_PUBLIC_URL: hubUrl,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  hub.stdout?.pipe(stdout);
  hub.stderr?.pipe(stderr);
  const outputWritten = Promise.all([stdout, stderr].map((file) => new Promise<void>((resolve) => file.once("finish", () => resolve()))));
  return { hub, outputWritten };
}

async function waitForHealth(hub: ChildProcess, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (hub.exitCode !== null) throw new Error(`the hub exited with ${hub.exitCode}; see ${hubStdoutFile} and ${hubStderrFile}`);
    const ok = await fetch(`${hubUrl}/api/health`).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no healthy hub at ${hubUrl} within ${timeoutMs} ms; see ${hubStdoutFile} and ${hubStderrFile}`);
}

function stopHub(hub: ChildProcess): Promise<void> {
  if (hub.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => hub.kill("SIGKILL"), 5000);
    hub.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    hub.kill("SIGTERM");
  });
}

export default async function globalSetup() {
  buildIfStale();
  await Promise.all(Object.values(ports).map(assertPortFree));
  const database = await createDatabase();
  // Specs that must age a row (a notice past the 24 h shipping window) reach the hub's database here.
  process.env.E2E_DATABASE_URL = database.url;
  const stopFakes = await startFakePartners();
  const { hub, outputWritten } = startHub(database.url);
  const stop = async () => {
    await stopHub(hub);
    await stopFakes();
    await database.drop();
  };
  try {
    await waitForHealth(hub);
  } catch (error) {
    await stop();
    throw error;
  }
  return async () => {
    await stop();
    // After the hub has stopped and its output is on disk, so its drain lines are checked too.
    await outputWritten;
    readHubLog();
  };
}
