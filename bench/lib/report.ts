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
