// One hub instance without the Next.js build: the partner route handlers on
// node:http and the in-process delivery worker, as `npm start` runs them.
// Prints "listening <port>" once it accepts calls.
import { createServer } from "node:http";
import { startBackgroundWork } from "@/server/start-background-work";
import { partnerHttpHandler } from "@/test/partner-http-handler";

const handle = partnerHttpHandler();
const server = createServer((req, res) => void handle(req, res));
await startBackgroundWork();
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : "?"}`);
});
