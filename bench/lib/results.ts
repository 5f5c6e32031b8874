/** One line of the bench's table and of docs/BENCHMARKS.md. */
export type BenchResult = {
  section: "ingest" | "delivery" | "search" | "dashboard" | "memory";
  name: string;
  value: string;
  target?: string;
  /** undefined: informative only, no target. */
  pass?: boolean;
  note?: string;
};

export const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)} ms` : "–");
export const perSecond = (value: number) => (Number.isFinite(value) ? `${Math.round(value).toLocaleString("en-US")}/s` : "–");
