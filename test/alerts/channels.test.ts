import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertAudit, alertChannels, alertSends } from "@/db/schema/alerts";
import { createCaller } from "@/server/api/root";
import { provisionEnvironmentChannels } from "@/server/alerts/provision-channels";
import type { Role } from "@/lib/states";
import { createUser, type SessionUser } from "@/server/users/users";
import { useTestDatabase } from "@/test/database";
import { unusedPort } from "@/test/fakes/unused-port";
import { startFakeRobots, startSmtpSink, type FakeRobots, type SmtpSink } from "@/test/fakes/fake-robots";

const database = useTestDatabase();
const people = {} as Record<Role, SessionUser>;
let robots: FakeRobots;
let smtp: SmtpSink;

beforeAll(async () => {
  robots = await startFakeRobots();
  smtp = await startSmtpSink();
  for (const role of ["viewer", "operator", "admin"] as const) {
    const user = await createUser(database.db, { email: `${role}@hub.test`, password: "correct horse", role, createdBy: "test" });
    people[role] = { id: user.id, email: user.email, name: null, role };
  }
});
afterAll(async () => {
  await robots?.close();
  await smtp?.close();
});

const as = (role: Role) => createCaller({ db: database.db, user: people[role] });
const rules = ["delivery_timed_out" as const];

describe("channels an admin sets up", () => {
  it("stores secrets sealed, shows them masked, audits who did what, and each test message arrives", async () => {
    const admin = as("admin");
    const created = {
      wecom: await admin.alerts.createChannel({ kind: "wecom", name: "运维群", settings: { url: `${robots.url}/wecom?key=wecom-robot-key-0001` }, rules }),
      dingtalk: await admin.alerts.createChannel({ kind: "dingtalk", name: "钉钉", settings: { url: `${robots.url}/dingtalk?access_token=tok`, secret: robots.secrets.dingtalk }, rules }),
      feishu: await admin.alerts.createChannel({ kind: "feishu", name: "飞书", settings: { url: `${robots.url}/feishu`, secret: robots.secrets.feishu }, rules }),
      webhook: await admin.alerts.createChannel({ kind: "webhook", name: "hook", settings: { url: `${robots.url}/webhook` }, rules }),
      email: await admin.alerts.createChannel({ kind: "email", name: "邮件", settings: { smtpUrl: smtp.url, from: "hub@shop.test", to: "ops@shop.test, lead@shop.test" }, rules }),
    };

    const [stored] = await database.db.select().from(alertChannels).where(eq(alertChannels.id, created.dingtalk.id));
    expect(stored!.secretConfig).not.toContain(robots.secrets.dingtalk);
    expect(stored!.secretConfig).not.toContain("access_token");
    const listed = await admin.alerts.channels();
    const dingtalk = listed.find((channel) => channel.id === created.dingtalk.id)!;
    expect(dingtalk.summary).toEqual({ url: `${robots.url}/dingtalk?access_token=••••`, secret: "SECd…cret" });
    expect(JSON.stringify(listed)).not.toContain(robots.secrets.feishu);
    expect(JSON.stringify(listed)).not.toContain("wecom-robot-key-0001");
    expect(JSON.stringify(listed)).not.toContain(":pass@");

    for (const channel of Object.values(created)) expect(await admin.alerts.testChannel({ id: channel.id })).toEqual({ ok: true, error: null });
    expect(robots.calls.map((call) => call.robot).sort()).toEqual(["dingtalk", "feishu", "webhook", "wecom"]);
    expect(robots.calls.find((call) => call.robot === "wecom")!.json.markdown.content).toContain("【测试】");
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ from: "hub@shop.test", to: ["ops@shop.test", "lead@shop.test"] });
    expect(smtp.mails[0]!.subject).toBe("【测试】发货通知单中台告警通道「邮件」");

    const audit = await admin.alerts.audit();
    expect(audit.filter((row) => row.action === "create").map((row) => row.actor)).toEqual(Array(5).fill("admin@hub.test"));
    expect(JSON.stringify(audit)).not.toContain(robots.secrets.dingtalk);
    const log = await admin.alerts.sends({ kind: "test" });
    expect(log.map((row) => [row.state, row.requestedBy])).toEqual(Array(5).fill(["sent", "admin@hub.test"]));
  });

  it("shows the channel's own error on the test button and in the send log: wrong secret, unreachable URL, SMTP refusal", async () => {
    const admin = as("admin");
    const wrongDing = await admin.alerts.createChannel({ kind: "dingtalk", name: "错密钥", settings: { url: `${robots.url}/dingtalk?access_token=t`, secret: "SECwrong" }, rules });
    const wrongFeishu = await admin.alerts.createChannel({ kind: "feishu", name: "飞书错密钥", settings: { url: `${robots.url}/feishu`, secret: "wrong" }, rules });
    const nowhere = await admin.alerts.createChannel({ kind: "wecom", name: "不通", settings: { url: `http://127.0.0.1:${await unusedPort()}/send?key=k` }, rules });
    const refusing = await admin.alerts.createChannel({ kind: "email", name: "拒收", settings: { smtpUrl: smtp.url, from: "hub@shop.test", to: "ops@shop.test" }, rules });
    smtp.refuse = true;
    try {
      const ding = await admin.alerts.testChannel({ id: wrongDing.id });
      expect(ding.ok).toBe(false);
      expect(ding.error).toMatch(/^errcode 310000: sign not match/);
      expect((await admin.alerts.testChannel({ id: wrongFeishu.id })).error).toMatch(/^code 19021: sign match fail/);
      expect((await admin.alerts.testChannel({ id: nowhere.id })).error).toMatch(/ECONNREFUSED/);
      expect((await admin.alerts.testChannel({ id: refusing.id })).error).toMatch(/^SMTP 550: .*Relaying denied/);
    } finally {
      smtp.refuse = false;
    }
    const listed = await admin.alerts.channels();
    expect(listed.find((channel) => channel.id === wrongDing.id)!.lastSend).toMatchObject({ state: "failed", error: expect.stringMatching(/^errcode 310000/) });
    const failed = await admin.alerts.sends({ state: "failed" });
    expect(failed.map((row) => row.channelName).sort()).toEqual(["不通", "拒收", "错密钥", "飞书错密钥"].sort());
    expect(failed.every((row) => row.lastError)).toBe(true);
  });

  it("keeps a stored secret when an edit leaves it blank, and replaces it when given", async () => {
    const admin = as("admin");
    const { id } = await admin.alerts.createChannel({ kind: "dingtalk", name: "改名前", settings: { url: `${robots.url}/dingtalk?access_token=t`, secret: robots.secrets.dingtalk }, rules });
    await admin.alerts.updateChannel({ id, name: "改名后", settings: { url: "", secret: "" }, rules: ["delivery_rejected"] });
    expect(await admin.alerts.testChannel({ id })).toEqual({ ok: true, error: null });
    await admin.alerts.updateChannel({ id, settings: { secret: "SECnot-the-right-one" } });
    expect((await admin.alerts.testChannel({ id })).error).toMatch(/errcode 310000/);
    const [row] = (await admin.alerts.channels()).filter((channel) => channel.id === id);
    expect(row).toMatchObject({ name: "改名后", rules: ["delivery_rejected"], summary: { secret: "SECn…-one" } });
    const audit = await database.db.select().from(alertAudit).where(eq(alertAudit.entityKey, String(id)));
    expect(audit.map((entry) => entry.action)).toEqual(["create", "update", "update"]);
    expect(audit[1]!.before).toMatchObject({ name: "改名前" });
    expect(audit[1]!.after).toMatchObject({ name: "改名后" });
  });

  it("refuses a channel missing what its kind needs", async () => {
    const admin = as("admin");
    await expect(admin.alerts.createChannel({ kind: "email", name: "x", settings: { smtpUrl: smtp.url }, rules })).rejects.toThrow(/from, to/);
    await expect(admin.alerts.createChannel({ kind: "wecom", name: "x", settings: { url: "ftp://127.0.0.1/x" }, rules })).rejects.toThrow(/http/);
  });

  it("shows environment channels read-only, on with the default rules", async () => {
    await provisionEnvironmentChannels(database.db, { ALERT_WECOM_WEBHOOK_URL: `${robots.url}/wecom?key=from-env-key-123456`, ALERT_DINGTALK_WEBHOOK_URL: `${robots.url}/dingtalk?access_token=e`, ALERT_DINGTALK_SECRET: robots.secrets.dingtalk });
    const admin = as("admin");
    const fromEnv = (await admin.alerts.channels()).filter((channel) => channel.source === "env");
    expect(fromEnv.map((channel) => [channel.kind, channel.enabled, channel.rules])).toEqual([
      ["dingtalk", true, ["delivery_timed_out", "delivery_rejected", "backlog_age"]],
      ["wecom", true, ["delivery_timed_out", "delivery_rejected", "backlog_age"]],
    ]);
    const [stored] = await database.db.select().from(alertChannels).where(eq(alertChannels.id, fromEnv[0]!.id));
    expect(stored!.secretConfig).toBeNull();
    await expect(admin.alerts.updateChannel({ id: fromEnv[0]!.id, enabled: false })).rejects.toThrow(/read-only/);
    await expect(admin.alerts.removeChannel({ id: fromEnv[0]!.id })).rejects.toThrow(/read-only/);

    // Unset in the environment: gone from the list; its send log stays.
    await provisionEnvironmentChannels(database.db, { ALERT_WECOM_WEBHOOK_URL: `${robots.url}/wecom?key=from-env-key-123456` });
    expect((await admin.alerts.channels()).filter((channel) => channel.source === "env").map((channel) => channel.kind)).toEqual(["wecom"]);
  });

  it("lets only admins read or change alerts", async () => {
    for (const role of ["viewer", "operator"] as const) {
      const caller = as(role);
      for (const call of [() => caller.alerts.channels(), () => caller.alerts.rules(), () => caller.alerts.sends({}), () => caller.alerts.testChannel({ id: 1 })]) {
        const error = await call().then(
          () => null,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(TRPCError);
        expect((error as TRPCError).code).toBe("FORBIDDEN");
      }
    }
  });

  it("rules: switched and tuned by an admin, validated, audited", async () => {
    const admin = as("admin");
    await admin.alerts.updateRule({ rule: "backlog_age", enabled: true, params: { minutes: 5, reminderMinutes: 30 } });
    await expect(admin.alerts.updateRule({ rule: "silence", enabled: true, params: { from: "21:00", to: "09:00" } })).rejects.toThrow(/from must be before to/);
    await expect(admin.alerts.updateRule({ rule: "inbound_refusals", enabled: true, params: { percent: 0 } })).rejects.toThrow(/percent/);
    const backlog = (await admin.alerts.rules()).find((rule) => rule.rule === "backlog_age")!;
    expect(backlog).toMatchObject({ enabled: true, params: { minutes: 5, reminderMinutes: 30 }, updatedBy: "admin@hub.test" });
    const audit = await database.db.select().from(alertAudit).where(eq(alertAudit.entity, "rule"));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityKey: "backlog_age", actor: "admin@hub.test", before: null, after: { enabled: true, params: { minutes: 5 } } });
    expect(await database.db.select().from(alertSends).where(eq(alertSends.kind, "opened"))).toEqual([]);
  });
});
