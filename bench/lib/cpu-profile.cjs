// Preloaded by bench/profile-ingest.ts through NODE_OPTIONS (which refuses
// --cpu-prof): profiles every process `next start` runs and writes
// <pid>.cpuprofile into CPU_PROF_DIR when the process is told to stop.
const inspector = require("node:inspector");
const fs = require("node:fs");
const path = require("node:path");

const session = new inspector.Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 200 });
session.post("Profiler.start");

let written = false;
function write() {
  if (written) return;
  written = true;
  session.post("Profiler.stop", (error, result) => {
    if (!error) fs.writeFileSync(path.join(process.env.CPU_PROF_DIR, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
}
process.prependListener("SIGTERM", write);
process.on("exit", write);
