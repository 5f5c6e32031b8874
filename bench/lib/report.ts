import { execSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import type { BenchResult } from "@/bench/lib/results";

export function machine(serverVersion: string) {
  const cpu = cpus();
  return {
    cpu: `${cpu[0]?.model ?? "unknown"} × ${cpu.length}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    postgres: serverVersion,
    load: execSync("cat /proc/loadavg").toString().split(" ").slice(0, 3).join(" "),
    date: new Date().toISOString(),
  };
}

const verdict = (result: BenchResult) => (result.pass === undefined ? "" : result.pass ? "pass" : "MISS");

export function printTable(results: BenchResult[]) {
  const rows = results.map((r) => [r.section, r.name, r.value, r.target ?? "", verdict(r), r.note ?? ""]);
  const widths = [0, 1, 2, 3, 4].map((col) => Math.max(...rows.map((row) => [...row[col]!].length)));
  for (const row of rows) console.log(row.map((cell, col) => (col < 5 ? cell.padEnd(widths[col]!) : cell)).join("  "));
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

export function markdownResults(results: BenchResult[]): string {
  const lines = ["| area | measurement | result | target | verdict | note |", "| --- | --- | --- | --- | --- | --- |"];
  for (const r of results) lines.push(`| ${r.section} | ${cell(r.name)} | ${cell(r.value)} | ${r.target ?? ""} | ${verdict(r)} | ${cell(r.note ?? "")} |`);
  return lines.join("\n");
}

type Section = Exclude<BenchResult["section"], "memory">;

/** Which load a row measured: memory rows name theirs after the last comma ("hub peak RSS, drain"). */
function sectionOfRow(area: string, name: string): Section {
  if (area !== "memory") return area as Section;
  const load = name.slice(name.lastIndexOf(",") + 1);
  return /drain|delivery/.test(load) ? "delivery" : /search/.test(load) ? "search" : "ingest";
}

/**
 * The results table rows of the sections this run skipped (`--only`), taken
 * from the page as it was and marked with the date of the run that measured them.
 */
export function rowsOfSkippedSections(previousDoc: string, ran: Set<string>): string[] {
  const date = /^\| date \| (.+?) \|$/m.exec(previousDoc)?.[1] ?? "an earlier run";
  const table = previousDoc.split("## Results")[1]?.split("\n## ")[0] ?? "";
  return table
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| area ") && !line.startsWith("| --- "))
    .filter((line) => {
      const [area = "", name = ""] = line.slice(2).split(" | ");
      return !ran.has(sectionOfRow(area, name));
    })
    .map((line) => (line.includes("(from the run of ") ? line : line.replace(/ \|$/, ` (from the run of ${date}) |`).replace(/\| {2}\(from/, "| (from")));
}
