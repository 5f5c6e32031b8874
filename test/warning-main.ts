// The log routing `npm start` and `npm run worker` do first (server/http-main.ts,
// server/delivery/worker-main.ts), without the Next.js build: the console and the process's warnings into JSON log lines.
// Then code outside node_modules — as Next.js's bundles of a dependency are —
// calls the deprecated Buffer(), and Node warns DEP0005. For
// server/console-to-log-warnings.test.ts: that warning must be a warn line.
import { routeProcessOutputToLog } from "@/server/console-to-log";
import { log } from "@/server/log";

routeProcessOutputToLog(log);
const legacy = Buffer as unknown as (size: number) => Buffer;
legacy(1);
// Node emits the warning on the next tick; the process exits once it is logged.
process.once("warning", () => setImmediate(() => process.exit(0)));
