// One hub instance without the Next.js build: the partner route handlers on
// node:http and the in-process delivery worker, as `npm start` runs them.
// Prints "listening <port>" once it accepts calls.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { startBackgroundWork } from "@/server/start-background-work";
import { partnerEndpoints } from "@/server/contract/endpoints";
import { partnerRoute } from "@/server/partner/partner-route";

const routes = new Map(partnerEndpoints.map((endpoint) => [endpoint.path, partnerRoute(endpoint)]));

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const route = routes.get(req.url ?? "");
  if (req.method !== "POST" || !route) {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const response = await route(new Request(`http://hub${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }));
  res.writeHead(response.status, { "content-type": "application/json" });
  res.end(await response.text());
}

const server = createServer((req, res) => void answer(req, res));

await startBackgroundWork();
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : "?"}`);
});
