// One hub instance without the Next.js build, for the sign-in flood: the
// partner route handlers and a sign-in endpoint running what next-auth's
// authorize() runs (attemptSignIn: the throttle's gate, the password check on
// the hashing pool, the failure count), on one node:http server and one event
// loop, as `npm start` serves both. Prints "listening <port>" once it accepts calls.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { getDb } from "@/db/client";
import { partnerEndpoints } from "@/server/contract/endpoints";
import { partnerRoute } from "@/server/partner/partner-route";
import { clientAddress } from "@/server/users/client-address";
import { attemptSignIn } from "@/server/users/sign-in";

const routes = new Map(partnerEndpoints.map((endpoint) => [endpoint.path, partnerRoute(endpoint)]));
const db = await getDb();

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  if (req.method === "POST" && req.url === "/sign-in") {
    const { email, password } = JSON.parse(Buffer.concat(chunks).toString()) as { email: string; password: string };
    const outcome = await attemptSignIn(db, { email, password, address: clientAddress(headers) }, () => {});
    const status = outcome.kind === "signed_in" ? 200 : outcome.kind === "throttled" ? 429 : 401;
    res.writeHead(status).end();
    return;
  }
  const route = routes.get(req.url ?? "");
  if (req.method !== "POST" || !route) {
    res.writeHead(404).end();
    return;
  }
  const response = await route(new Request(`http://hub${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }));
  res.writeHead(response.status, { "content-type": "application/json" });
  res.end(await response.text());
}

const server = createServer((req, res) => void answer(req, res));

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : "?"}`);
});
