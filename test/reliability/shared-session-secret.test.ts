import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { expect, test } from "vitest";
import { hubSettings } from "@/db/schema/settings";
import { useCluster } from "@/test/reliability/cluster";
import { describeWithPostgres } from "@/test/postgres-server";

// Issue 10: each machine generated its own AUTH_SECRET into DATA_DIR, so two
// instances behind a load balancer signed users out whenever a request landed
// on the other one. Without AUTH_SECRET the secret is now generated once into
// the database: two instances started together on one database — each with a
// DATA_DIR of its own — accept each other's session cookies.
// (Does not restart PostgreSQL.)

describeWithPostgres("two instances on one database without AUTH_SECRET", () => {
  const cluster = useCluster();

  test("a session cookie made on one is accepted by the other", async () => {
    const start = () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hub-instance-"));
      return cluster.spawnHub("test/reliability/session-instance-main.ts", { AUTH_SECRET: "", DATA_DIR: dataDir, WORKER: "off" });
    };
    // Started at once: both race to write the first secret.
    const [a, b] = [start(), start()];
    const portOf = async (hub: typeof a) => (await cluster.waitForLine(hub, /^listening (\d+)$/))[1]!;
    const [portA, portB] = await Promise.all([portOf(a), portOf(b)]);
    const session = (port: string, cookie: string) => fetch(`http://127.0.0.1:${port}/session`, { headers: { cookie } });

    const made = await fetch(`http://127.0.0.1:${portA}/session`, { method: "POST", body: JSON.stringify({ sub: "42" }) });
    const { cookie } = (await made.json()) as { cookie: string };
    const onB = await session(portB, cookie);
    expect(onB.status).toBe(200);
    expect(await onB.json()).toEqual({ sub: "42" });

    // And the other way round; a cookie signed with any other secret is refused.
    const madeOnB = (await (await fetch(`http://127.0.0.1:${portB}/session`, { method: "POST", body: JSON.stringify({ sub: "7" }) })).json()) as { cookie: string };
    expect((await session(portA, madeOnB.cookie)).status).toBe(200);
    const forged = await encode({ token: { sub: "42" }, secret: "another machine's secret", salt: "authjs.session-token" });
    expect((await session(portB, `authjs.session-token=${forged}`)).status).toBe(401);

    expect(await cluster.database.db.select({ name: hubSettings.name }).from(hubSettings)).toEqual([{ name: "auth_secret" }]);
  });
});
