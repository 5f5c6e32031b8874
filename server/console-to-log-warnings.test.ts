import { spawn } from "node:child_process";
import { expect, test } from "vitest";

// A process warning (here Node's DEP0005 for `Buffer()`, which a bundled
// dependency of the Excel export calls) is a warn line in `npm start`'s log, not
// an error one: Node prints warnings through console.error, which the log
// routing makes level 50, and error lines trip the error alerts. Run in a child
// process, as the start is (test/warning-main.ts): its stdout is not a terminal.

test("a deprecation warning is logged once, at warn (40), with its code and the stack that says who called", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "test/warning-main.ts"], {
    env: { ...process.env, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const code = await new Promise((resolve) => child.once("exit", resolve));
  expect(code).toBe(0);

  const lines = stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as { level: number; msg: string; warning?: unknown; err?: unknown });
  const warnings = lines.filter((line) => line.msg.includes("Buffer() is deprecated"));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatchObject({ level: 40, msg: expect.stringMatching(/^DeprecationWarning: Buffer\(\) is deprecated/), warning: { name: "DeprecationWarning", code: "DEP0005" } });
  expect(JSON.stringify(warnings[0]!.err)).toContain("warning-main.ts");
  expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  expect(stderr).not.toContain("DeprecationWarning");
}, 60_000);
