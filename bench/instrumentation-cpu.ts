// What metrics and logging cost one partner call, runnable while the machine is
// busy: two hubs (`npm start` over the bench build) on one database, one with
// METRICS=on and LOG_LEVEL=info, one with METRICS=off and LOG_LEVEL=silent,
// loaded in alternating turns at a fixed rate (or as fast as they go with
// --rate 0); prints each hub process's CPU ms per call (from /proc) and req/s.
// CPU per call holds under other load much better than req/s does; the cost of
// counting one call in-process (a tight loop's CPU time) holds best of all.
// Needs the production build in NEXT_DIST_DIR (default .next-bench: `NEXT_DIST_DIR=.next-bench npx next build`).
//   npx tsx bench/instrumentation-cpu.ts [--seconds 10] [--rounds 4] [--rate 200] [--port 3110] [--database name]
import { parseArgs } from "node:util";
import { compareInstrumentation, INSTRUMENTED, instrumentationRows, observeCpuMicros, QUIET } from "@/bench/instrumentation-cost";
import { dropDatabase, prepareDatabase } from "@/bench/lib/bench-db";
import { startHub } from "@/bench/lib/hub-server";
import { printTable } from "@/bench/lib/report";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    rounds: { type: "string", default: "4" },
    rate: { type: "string", default: "200" },
    port: { type: "string", default: "3110" },
    database: { type: "string", default: `hub_bench_instrumentation_${Date.now()}` },
  },
});
process.env.NEXT_DIST_DIR ||= ".next-bench";
const port = Number(values.port);
const rounds = Number(values.rounds);
const rate = Number(values.rate) || undefined;
const url = await prepareDatabase(values.database);
const on = await startHub({ port, databaseUrl: url, env: { WORKER: "off", ...INSTRUMENTED } });
const off = await startHub({ port: port + 1, databaseUrl: url, env: { WORKER: "off", ...QUIET } });
try {
  const result = await compareInstrumentation(on, off, { duration: Number(values.seconds), connections: 10, rounds, rate });
  console.log(`${rate ? `${rate} req/s offered` : "as fast as they go"}, ${rounds} turns of ${values.seconds} s each hub; calls on ${result.on.calls}, off ${result.off.calls}`);
  printTable(instrumentationRows(result, { rounds, rate }));
  const micro = observeCpuMicros();
  console.log(
    `\nCounting one call in-process (observePartnerCall, 200 000 calls, alternating blocks): ${micro.on.toFixed(2)} µs CPU with METRICS=on, ${micro.off.toFixed(2)} µs off; ` +
      `that is ${(((micro.on - micro.off) / 1000 / result.off.cpuMsPerCall) * 100).toFixed(2)} % of the quiet hub's ${result.off.cpuMsPerCall.toFixed(2)} ms CPU per call measured above.`,
  );
} finally {
  await on.stop();
  await off.stop();
  await dropDatabase(values.database);
}
process.exit(0);
