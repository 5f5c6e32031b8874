import path from "node:path";
import type { CpuProfile } from "@/bench/lib/in-process-ingest";

/**
 * Prints a V8 CPU profile's self time, top 25, by package (node_modules package,
 * node internals, hub code, Next.js's built app code) and by function, in % of
 * all samples. Used by bench/profile-ingest.ts and bench/profile-delivery.ts.
 * @param title what the profile is of, printed in the first heading
 */
export function printProfile({ nodes }: CpuProfile, title = "self time"): void {
  type Node = CpuProfile["nodes"][number];
  const total = nodes.reduce((sum, node) => sum + node.hitCount, 0);
  const tally = (key: (node: Node) => string) => {
    const sums = new Map<string, number>();
    for (const node of nodes) sums.set(key(node), (sums.get(key(node)) ?? 0) + node.hitCount);
    return [...sums].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
  };
  const where = (node: Node) => {
    const url = node.callFrame.url;
    if (!url) return node.callFrame.functionName || "(native)";
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    if (pkg) return pkg;
    if (url.startsWith("node:")) return "node internals";
    return /\/(server|db|lib)\//.test(url) ? "hub code" : ".next/app code";
  };
  console.log(`\n${title} by package:\n${tally(where).join("\n")}`);
  console.log(`\nby function:\n${tally((n) => `${n.callFrame.functionName || "(anonymous)"}  ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber}`).join("\n")}`);
}
