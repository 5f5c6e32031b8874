import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The e2e hub's output (e2e/global-setup.ts writes them): stdout, which in
 * production a collector ships as JSON lines (README "Ship the log"), and
 * stderr apart (a refused configuration, Node's own warnings).
 */
export const hubStdoutFile = path.resolve(import.meta.dirname, "../../.next-e2e/e2e-hub.log");
export const hubStderrFile = path.resolve(import.meta.dirname, "../../.next-e2e/e2e-hub.stderr.log");

export type HubLogLine = { level: number; time: number; msg?: string; [field: string]: unknown };

/**
 * Every line of the hub's stdout, parsed. Throws, quoting the first offending
 * lines, when a line is not a JSON object with a numeric `level` and `time`
 * (SPEC §9: one JSON object per line, level, time).
 */
export function readHubLog(file = hubStdoutFile): HubLogLine[] {
  const lines = readFileSync(file, "utf8").split("\n").filter((line) => line.trim() !== "");
  const bad: string[] = [];
  const parsed: HubLogLine[] = [];
  for (const [index, line] of lines.entries()) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    const record = value as Partial<HubLogLine> | undefined;
    if (record && typeof record === "object" && typeof record.level === "number" && typeof record.time === "number") parsed.push(record as HubLogLine);
    else bad.push(`line ${index + 1}: ${line.slice(0, 200)}`);
  }
  if (bad.length) throw new Error(`the hub printed ${bad.length} line(s) on stdout that are not JSON log lines (level, time) — ${file}:\n${bad.slice(0, 10).join("\n")}`);
  return parsed;
}
