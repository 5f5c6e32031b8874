import { createServer, type Server } from "node:http";
import type { Answer, Behaviour } from "@/test/fakes/behaviour";
import { startFakeCounterpart, type FakeCounterpart } from "@/test/fakes/fake-counterpart";
import { startFakeRobots, type RobotCall } from "@/test/fakes/fake-robots";
import { controlUrl, ports, tokens } from "@/e2e/support/env";

// The fake POS and OMS live in the runner process for the whole run (the hub
// was told their ports at start-up); specs run in worker processes and steer
// them through a tiny control endpoint.

type Side = "pos" | "oms";

/** The signing secrets the fake DingTalk and Feishu robots check. */
export const robotSecrets = { dingtalk: "SECe2e-dingtalk-secret", feishu: "e2e-feishu-secret" };
type Command = { side: Side; path?: string; answer?: Answer | null; behaviour?: Behaviour };

export async function startFakePartners(): Promise<() => Promise<void>> {
  const fakes: Record<Side, FakeCounterpart> = {
    pos: await startFakeCounterpart({ name: "pos", port: ports.pos, token: tokens.pos, keepLast: 500 }),
    oms: await startFakeCounterpart({ name: "oms", port: ports.oms, token: tokens.oms, keepLast: 500 }),
  };
  const robots = await startFakeRobots(robotSecrets, ports.robot);
  const control: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/robot-calls") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(robots.calls));
      return;
    }
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      void (async () => {
        const command = JSON.parse(body) as Command;
        const fake = fakes[command.side];
        if (command.path) fake.setBehaviourFor(command.path, command.answer ?? null);
        else await fake.setBehaviour(command.behaviour ?? { kind: "success" });
        res.writeHead(204).end();
      })().catch((error: unknown) => res.writeHead(400).end(String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    control.once("error", reject);
    control.listen(ports.control, "127.0.0.1", resolve);
  });
  return async () => {
    control.closeAllConnections();
    await new Promise((resolve) => control.close(resolve));
    await Promise.all([fakes.pos.close(), fakes.oms.close(), robots.close()]);
  };
}

async function send(command: Command) {
  const response = await fetch(controlUrl, { method: "POST", body: JSON.stringify(command) });
  if (!response.ok) throw new Error(`fake partner control: HTTP ${response.status} ${await response.text()}`);
}

/** How the fake `side` answers deliveries on `path` from now on; null goes back to success. */
export const answerOn = (side: Side, path: string, answer: Answer | null) => send({ side, path, answer });

/** Every message the fake chat robots have taken so far (a wrong signature is answered with an error and not kept). */
export async function robotCalls(): Promise<RobotCall[]> {
  const response = await fetch(`${controlUrl}/robot-calls`);
  return (await response.json()) as RobotCall[];
}
