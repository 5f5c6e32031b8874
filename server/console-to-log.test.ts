import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { routeConsoleToLog, type ConsoleMethods } from "@/server/console-to-log";
import { createLogger } from "@/server/log";

function setUp(isTTY: boolean) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  const printed: unknown[][] = [];
  const keep = (...args: unknown[]) => void printed.push(args);
  const target: ConsoleMethods = { error: keep, warn: keep, log: keep, info: keep, debug: keep };
  const restore = routeConsoleToLog(createLogger({ destination, level: "info" }), target, isTTY);
  return { lines, printed, target, restore, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("routeConsoleToLog", () => {
  it("turns Next.js's ⨯ route error into one JSON line at error level with the error serialised", () => {
    const { lines, printed, target, parsed } = setUp(false);
    const error = new Error("boom in a route");
    // As next/dist/build/output/log.js prints it: a coloured prefix, then the error.
    target.error("\u001b[31m\u001b[1m⨯\u001b[22m\u001b[39m", error);

    expect(printed).toEqual([]);
    expect(lines).toHaveLength(1);
    const [line] = parsed();
    expect(line).toMatchObject({ level: 50, msg: "boom in a route", console: "error", err: [expect.objectContaining({ name: "Error", message: "boom in a route" })] });
    expect(typeof line!.time).toBe("number");
    expect(JSON.stringify(line)).toContain("console-to-log.test.ts");
  });

  it("maps warn, log, info and debug to their levels and formats the text as console does, without colours", () => {
    const { target, parsed } = setUp(false);
    target.warn("⚠ %s is deprecated", "thing");
    target.log("\u001b[32mready\u001b[39m in %d ms", 12);
    target.info({ a: 1 });
    target.debug("below the level");
    expect(parsed().map(({ level, msg, console }) => ({ level, msg, console }))).toEqual([
      { level: 40, msg: "thing is deprecated", console: "warn" },
      { level: 30, msg: "ready in 12 ms", console: "log" },
      { level: 30, msg: "{ a: 1 }", console: "info" },
    ]);
  });

  it("leaves the console alone in a terminal, and puts it back on restore", () => {
    const tty = setUp(true);
    tty.target.error("for a person");
    expect(tty.lines).toEqual([]);
    expect(tty.printed).toEqual([["for a person"]]);

    const routed = setUp(false);
    routed.restore();
    routed.target.error("after restore");
    expect(routed.lines).toEqual([]);
    expect(routed.printed).toEqual([["after restore"]]);
  });
});
