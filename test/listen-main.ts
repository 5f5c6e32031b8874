// `npm start`'s listening step without the Next.js build (server/http-main.ts
// does the same around Next.js's handler): the hub's node:http server on PORT /
// HOST from the environment, through listenOrExit. For
// server/http-server-listen.test.ts: on a taken port it must exit 1.
import { loadConfigOrExit } from "@/server/config";
import { createHubServer, listenOrExit } from "@/server/http-server";

const config = loadConfigOrExit();
const server = createHubServer((_req, res) => res.end("ok"), config);
listenOrExit(server, config, () => server.close());
