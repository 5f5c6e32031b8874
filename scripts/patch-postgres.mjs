// postgres.js 3.4.9 crashes the process when PostgreSQL restarts or drops a
// connection (upstream porsager/postgres#1154, #1208; fix proposed in #1209,
// not released): a write scheduled with setImmediate fires after `closed()`
// nulled the socket, and throws from a timer where nothing can catch it. And
// `closed()` cancels that timer without clearing it, so every later query on
// the connection hangs. This runs after `npm install` / `npm ci` and applies
// the upstream fix to both builds of the driver. Remove it once a release has it.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.join(import.meta.dirname, "../node_modules/postgres");
const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));

const fixes = [
  {
    before: "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
    after:
      "  function nextWrite(fn) {\n" +
      "    if (socket === null) { // patched by dispatch-hub: see scripts/patch-postgres.mjs\n" +
      "      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n" +
      "      chunk = nextWriteTimer = null\n" +
      "      error(Errors.connection('CONNECTION_CLOSED', options))\n" +
      "      return false\n" +
      "    }\n" +
      "    const x = socket.write(chunk, fn)",
  },
  {
    before: "    incomings = null\n    clearImmediate(nextWriteTimer)\n",
    after: "    incomings = null\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null // patched by dispatch-hub\n",
  },
];

for (const file of ["src/connection.js", "cjs/src/connection.js"]) {
  const target = path.join(root, file);
  let text = readFileSync(target, "utf8");
  if (text.includes("patched by dispatch-hub")) continue;
  for (const { before, after } of fixes) {
    if (!text.includes(before)) {
      console.warn(`[patch-postgres] postgres ${version}: ${file} no longer has the code this patch fixes; check whether the release fixed #1154 and remove scripts/patch-postgres.mjs`);
      process.exit(0);
    }
    text = text.replace(before, after);
  }
  writeFileSync(target, text);
  console.log(`[patch-postgres] postgres ${version}: ${file} patched (null socket in nextWrite)`);
}
