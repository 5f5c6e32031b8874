import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";

export type Child = { process: ChildProcess; output: string[]; stop(): Promise<void> };

/** Runs a command in its own process group, keeping its last output lines for error messages. */
export function startChild(command: string, args: string[], env: Record<string, string | undefined>): Child {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"], detached: true });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      output.push(line);
      if (output.length > 200) output.shift();
    });
  }
  return {
    process: child,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      // The group: `next start` and `tsx` both run the real server in a child of their own.
      process.kill(-child.pid!, "SIGTERM");
      const killer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 8000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Resolves with the child's output once a line matches, rejects if it exits first or the time runs out. */
export function waitForLine(child: Child, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const found = child.output.find((line) => pattern.test(line));
    if (found) return resolve(found);
    const timer = setTimeout(() => fail(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
    const onLine = (line: string) => pattern.test(line) && done(line);
    const onExit = () => fail(new Error(`process exited before ${pattern}`));
    const streams = [child.process.stdout!, child.process.stderr!].map((input) => createInterface({ input }));
    streams.forEach((lines) => lines.on("line", onLine));
    child.process.once("exit", onExit);
    function cleanup() {
      clearTimeout(timer);
      streams.forEach((lines) => lines.off("line", onLine));
      child.process.off("exit", onExit);
    }
    function done(line: string) {
      cleanup();
      resolve(line);
    }
    function fail(error: Error) {
      cleanup();
      reject(new Error(`${error.message}\n${child.output.slice(-20).join("\n")}`));
    }
  });
}

export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not answering within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The pid holding the listening TCP socket on `port` (the real server, whichever launcher forked it). */
export function listeningPid(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // state 0A = LISTEN
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A") inodes.add(fields[9]!);
    }
  }
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return Number(entry);
      }
    } catch {
      // not ours, or gone
    }
  }
  throw new Error(`no process listens on port ${port}`);
}

/** Peak resident set size (VmHWM) in MiB. */
export function peakRssMiB(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return kb ? Math.round(Number(kb) / 1024) : Number.NaN;
}

/** Starts a new peak-RSS window: writing 5 to clear_refs resets VmHWM to the current RSS. */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}
