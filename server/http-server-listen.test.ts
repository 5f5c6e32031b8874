import { spawn } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";

// `npm start` with its port taken exits 1 and says why in one JSON log line
// (server/http-main.ts → listenOrExit). Run in a child process, as the start is:
// test/listen-main.ts is the start's listening step without the Next.js build.

const holder = createServer();
let port: number;

beforeAll(() => new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", () => ((port = (holder.address() as AddressInfo).port), resolve()))));
afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

/** Runs test/listen-main.ts on 127.0.0.1:`on`; resolves with its exit code and stdout lines. */
function start(on: number): Promise<{ code: number | null; lines: string[] }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/listen-main.ts"], {
    env: { ...process.env, PORT: String(on), HOST: "127.0.0.1", LOG_LEVEL: "info", WORKER: "off" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, lines: stdout.split("\n").filter(Boolean) })));
}

const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as { level: number; msg: string; port?: number; code?: string; err?: unknown });

test("a taken port: exit 1 and one fatal JSON line naming EADDRINUSE and the port", async () => {
  const { code, lines } = await start(port);
  expect(code).toBe(1);
  const fatal = parsed(lines).filter((line) => line.level === 60);
  expect(fatal).toHaveLength(1);
  expect(fatal[0]).toMatchObject({ msg: "cannot listen: not started", port, code: "EADDRINUSE" });
  expect(JSON.stringify(fatal[0]!.err)).toContain(`EADDRINUSE: address already in use 127.0.0.1:${port}`);
  expect(parsed(lines).some((line) => line.msg === "listening")).toBe(false);
}, 60_000);

test("a free port: it listens (and this test's script then closes, exit 0)", async () => {
  const free = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port: freePort } = probe.address() as AddressInfo;
      probe.close(() => resolve(freePort));
    });
  });
  const { code, lines } = await start(free);
  expect(code).toBe(0);
  expect(parsed(lines).find((line) => line.msg === "listening")).toMatchObject({ port: free });
}, 60_000);
