import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, getConfig, parseConfig, resetConfigForTests, setConfigForTests } from "@/server/config";

afterEach(() => {
  delete process.env.DELIVERY_TIMEOUT_MS;
  resetConfigForTests();
});

describe("configuration", () => {
  it("names every bad variable and never echoes a secret", () => {
    let error: unknown;
    try {
      parseConfig({ DELIVERY_TIMEOUT_MS: "ten seconds", WORKER: "maybe", DATABASE_POOL_MAX: "3" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variables).toEqual(["DELIVERY_TIMEOUT_MS", "WORKER"]);
    expect((error as ConfigError).message).toMatch(/DELIVERY_TIMEOUT_MS: .*"ten seconds"/);
    expect(() => parseConfig({ DATABASE_POOL_MAX: "0", HUB_POS_TOKEN: 42 })).toThrow(/DATABASE_POOL_MAX.*HUB_POS_TOKEN.*"\*\*\*"/);
  });

  it("refuses a URL the hub could not call, naming the variable and never echoing it", () => {
    // A base URL without its scheme used to start the hub, then fail every delivery with "Invalid URL".
    expect(() => parseConfig({ OMS_BASE_URL: "127.0.0.1:4102" })).toThrow(/OMS_BASE_URL: must be a URL starting with http:\/\/ or https:\/\/ \(got "\*\*\*"\)/);
    expect(() => parseConfig({ POS_BASE_URL: "ftp://pos.test/" })).toThrow(/POS_BASE_URL/);
    expect(() => parseConfig({ ALERT_WECOM_WEBHOOK_URL: "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k" })).toThrow(/ALERT_WECOM_WEBHOOK_URL/);
    expect(() => parseConfig({ HUB_PUBLIC_URL: "hub.shop.test" })).toThrow(/HUB_PUBLIC_URL/);
    expect(() => parseConfig({ SMTP_URL: "mail.shop.test:25" })).toThrow(/SMTP_URL: must be a URL starting with smtp:\/\/ or smtps:\/\//);
    expect(() => parseConfig({ DATABASE_URL: "127.0.0.1:5432/postgres" })).toThrow(/DATABASE_URL/);
    const config = parseConfig({
      OMS_BASE_URL: " http://127.0.0.1:4102/ ",
      POS_BASE_URL: "",
      ALERT_WEBHOOK_URL: "https://hooks.shop.test/x",
      SMTP_URL: "smtps://user:pass@mail.shop.test:465",
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres",
    });
    expect(config).toMatchObject({ OMS_BASE_URL: "http://127.0.0.1:4102/", POS_BASE_URL: undefined, SMTP_URL: "smtps://user:pass@mail.shop.test:465" });
  });

  it("is parsed once: a later change of the environment is not seen until reset", () => {
    process.env.DELIVERY_TIMEOUT_MS = "2500";
    expect(getConfig().DELIVERY_TIMEOUT_MS).toBe(2500);
    process.env.DELIVERY_TIMEOUT_MS = "4000";
    expect(getConfig().DELIVERY_TIMEOUT_MS).toBe(2500);
    expect(getConfig()).toBe(getConfig());
    resetConfigForTests();
    expect(getConfig().DELIVERY_TIMEOUT_MS).toBe(4000);
  });

  it("lets tests set values, validated like the environment", () => {
    setConfigForTests({ OMS_BASE_URL: "http://127.0.0.1:9/", DELIVERY_CONCURRENCY: 3 });
    expect(getConfig()).toMatchObject({ OMS_BASE_URL: "http://127.0.0.1:9/", DELIVERY_CONCURRENCY: 3 });
    setConfigForTests({ OMS_BASE_URL: undefined });
    expect(getConfig()).toMatchObject({ OMS_BASE_URL: undefined, DELIVERY_CONCURRENCY: 3 });
    expect(() => setConfigForTests({ DELIVERY_CONCURRENCY: 0 })).toThrow(/DELIVERY_CONCURRENCY/);
  });

  it("stops a process's start on a bad value with one line naming the variable", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "server/delivery/worker-main.ts"], {
      env: { ...process.env, DATABASE_URL: "postgres://postgres@127.0.0.1:1/none", DELIVERY_CONCURRENCY: "lots" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^dispatch hub not started: invalid configuration — DELIVERY_CONCURRENCY: .*"lots"/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
