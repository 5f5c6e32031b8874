import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "@/server/log";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger({ destination, level: "info" }) };
}

describe("log", () => {
  it("writes one JSON object per line with level, time and the story's ids", () => {
    const { lines, logger } = capture();
    const worker = logger.child({ component: "delivery-worker", worker: "w1" });
    worker.error({ err: new Error("socket hang up"), deliveryId: 42, dispatchNO: "DN-1" }, "attempt failed");
    worker.debug("not at info level");

    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      level: 50,
      msg: "attempt failed",
      component: "delivery-worker",
      worker: "w1",
      deliveryId: 42,
      dispatchNO: "DN-1",
      err: [expect.objectContaining({ name: "Error", message: "socket hang up" })],
    });
    expect(Math.abs(line.time - Date.now())).toBeLessThan(60_000);
  });

  it("never writes a token, password, hash or secret, however deep it is given", () => {
    const { lines, logger } = capture();
    logger.info(
      {
        token: "hub_pos_live_token",
        password: "hunter2-password",
        user: { email: "a@shop.test", passwordHash: "$2b$10$hashhashhash" },
        request: { headers: { authorization: "Bearer counterpart-token", cookie: "authjs.session-token=abc" } },
        config: { OMS_TOKEN: "oms-token-value", AUTH_SECRET: "auth-secret-value" },
        tokenHash: "sha-of-token",
      },
      "something happened",
    );
    const text = lines.join("\n");
    for (const secret of ["hub_pos_live_token", "hunter2-password", "$2b$10$hashhashhash", "counterpart-token", "authjs.session-token", "oms-token-value", "auth-secret-value", "sha-of-token"]) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(lines[0]!)).toMatchObject({ user: { email: "a@shop.test", passwordHash: "[redacted]" } });
  });

  it("logs a failed query without its parameters", () => {
    const { lines, logger } = capture();
    const failed = Object.assign(new Error('Failed query: insert into users (email, password_hash) values ($1, $2)\nparams: a@shop.test,$2b$10$secrethash'), {
      query: "insert into users (email, password_hash) values ($1, $2)",
      params: ["a@shop.test", "$2b$10$secrethash"],
    });
    logger.error({ err: failed }, "could not create user");
    expect(lines[0]).toContain("values ($1, $2)");
    expect(lines[0]).not.toContain("secrethash");
  });

  it("is the only way server code writes: no console.* left in it", () => {
    const root = path.resolve(import.meta.dirname, "..");
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && /\bconsole\.(log|info|warn|error|debug)\(/.test(fs.readFileSync(file, "utf8"))) {
          offenders.push(path.relative(root, file));
        }
      }
    };
    for (const dir of ["server", "db", "app", "lib", "trpc"]) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
    for (const file of ["auth.ts", "instrumentation.ts"]) if (/\bconsole\.\w+\(/.test(fs.readFileSync(path.join(root, file), "utf8"))) offenders.push(file);
    expect(offenders).toEqual([]);
  });
});
