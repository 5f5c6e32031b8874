// The counterpart for the delivery benchmarks, in a process of its own: answers
// every POST with success after --ms, and appends "dispatchNO<TAB>epoch-ms" per
// call to --log, so the bench can match receive times to send times.
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import { startFakeCounterpart } from "@/test/fakes/fake-counterpart";

const { values } = parseArgs({ options: { ms: { type: "string", default: "0" }, log: { type: "string" } } });
const log = values.log ? createWriteStream(values.log) : undefined;
const fake = await startFakeCounterpart({
  name: "oms",
  keepLast: 1,
  onCall: (call) => log?.write(`${(call.json as { dispatchNO?: string } | undefined)?.dispatchNO ?? ""}\t${call.at.getTime()}\n`),
});
const ms = Number(values.ms);
await fake.setBehaviour(ms > 0 ? { kind: "slow", ms, then: { kind: "success" } } : { kind: "success" });
console.log(`fake listening ${fake.url}`);
process.on("SIGTERM", () => log ? log.end(() => process.exit(0)) : process.exit(0));
