// One hub instance without the Next.js build, for the shared session secret:
// it opens the database as every hub process does (which loads the session
// secret, generating it into the database on the very first start) and makes
// and reads session cookies the way Auth.js does for JWT sessions (encode /
// decode with the secret, salted with the cookie's name).
// POST /session {sub} → 200 {cookie}; GET /session with a Cookie → 200 {sub} or 401.
// Prints "listening <port>" once it accepts calls.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { decode, encode } from "next-auth/jwt";
import { getDb } from "@/db/client";
import { authSecret } from "@/db/auth-secret";

const COOKIE = "authjs.session-token";
await getDb();

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (req.method === "POST" && req.url === "/session") {
    const { sub } = JSON.parse(Buffer.concat(chunks).toString()) as { sub: string };
    const cookie = await encode({ token: { sub, role: "viewer", sv: 0 }, secret: authSecret(), salt: COOKIE });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ cookie: `${COOKIE}=${cookie}` }));
    return;
  }
  if (req.method === "GET" && req.url === "/session") {
    const value = /authjs\.session-token=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    const token = value ? await decode({ token: value, secret: authSecret(), salt: COOKIE }).catch(() => null) : null;
    if (!token?.sub) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sub: token.sub }));
    return;
  }
  res.writeHead(404).end();
}

const server = createServer((req, res) => void answer(req, res));

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : "?"}`);
});
