import { startChild, waitForLine, type Child } from "@/bench/lib/processes";

/**
 * The fake counterpart (bench/fake-main.ts) in a process of its own: answers
 * every POST with success after `delayMs` (ms); with `log`, appends
 * "dispatchNO<TAB>epoch-ms" per call received.
 */
export async function startFake(delayMs: number, log?: string): Promise<{ child: Child; url: string }> {
  const child = startChild(process.execPath, ["--import", "tsx", "bench/fake-main.ts", "--ms", String(delayMs), ...(log ? ["--log", log] : [])], {});
  const line = await waitForLine(child, /fake listening (\S+)/);
  return { child, url: /fake listening (\S+)/.exec(line)![1]! };
}
