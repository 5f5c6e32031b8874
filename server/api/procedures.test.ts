import { setConfigForTests } from "@/server/config";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { deliveries, deliveryActions } from "@/db/schema/deliveries";
import { useTestDatabase } from "@/test/database";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { seedSampleNotices } from "@/test/sample-notices";
import type { Role } from "@/lib/states";
import { createUser, type SessionUser } from "@/server/users/users";

const database = useTestDatabase();
const people = {} as Record<Role, SessionUser>;

beforeAll(async () => {
  await seedSampleNotices();
  for (const role of ["viewer", "operator", "admin"] as const) {
    const user = await createUser(database.db, { email: `${role}@hub.test`, password: "correct horse", role, createdBy: "test" });
    people[role] = { id: user.id, email: user.email, name: null, role };
  }
});

const callerAs = (role: Role | null) => createCaller({ db: database.db, user: role ? people[role] : null });
type Caller = ReturnType<typeof callerAs>;

async function codeOf(call: Promise<unknown>) {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

const firstDeliveryId = async () => (await database.db.select({ id: deliveries.id }).from(deliveries).orderBy(deliveries.id).limit(1))[0]!.id;

const operatorActions = (caller: Caller, id: number) => ({
  countSelected: () => caller.deliveries.countSelected({ ids: [id] }),
  retryNow: () => caller.deliveries.retryNow({ selection: { ids: [id] } }),
  resolve: () => caller.deliveries.resolve({ selection: { ids: [id] }, note: "done by phone" }),
  cancel: () => caller.deliveries.cancel({ selection: { filter: { queue: "rejected" }, confirmed: { n: 0, upTo: 0 } }, note: "not wanted" }),
  checkPayload: () => caller.deliveries.checkPayload({ id, payload: "{}" }),
  editAndResend: () => caller.deliveries.editAndResend({ id, payload: "{}" }),
  actOnProblem: () => caller.problems.act({ id: 999_999, action: "acknowledge" }),
});

const adminActions = (caller: Caller) => ({
  users: () => caller.admin.users(),
  createUser: () => caller.admin.createUser({ email: "new@hub.test", password: "long enough", role: "viewer" }),
  updateUser: () => caller.admin.updateUser({ id: people.viewer.id, role: "viewer" }),
  tokens: () => caller.admin.tokens(),
  createToken: () => caller.admin.createToken({ side: "pos", label: "store tills" }),
  revokeToken: () => caller.admin.revokeToken({ id: 999 }),
  settings: () => caller.admin.settings(),
});

const readers = (caller: Caller) => ({
  search: () => caller.notices.search({ term: "DN-1001" }),
  story: () => caller.notices.story({ id: 1 }),
  list: () => caller.deliveries.list({}),
  queueCounts: () => caller.deliveries.queueCounts({}),
  overview: () => caller.logs.overview({}),
  inbound: () => caller.logs.inbound({}),
  outbound: () => caller.logs.outbound({}),
  me: () => caller.admin.me(),
  problems: () => caller.problems.list({}),
  problemCounts: () => caller.problems.counts(),
  blockingHeads: () => caller.problems.blockingHeads({}),
});

describe("who may call what", () => {
  it("turns away every procedure without a session", async () => {
    const caller = callerAs(null);
    const all = { ...readers(caller), ...operatorActions(caller, 1), ...adminActions(caller) };
    for (const [name, call] of Object.entries(all)) expect([name, await codeOf(call())]).toEqual([name, "UNAUTHORIZED"]);
  });

  it("lets a viewer read everything and act on nothing", async () => {
    const caller = callerAs("viewer");
    for (const [name, call] of Object.entries(readers(caller))) expect([name, await codeOf(call())]).toEqual([name, "OK"]);
    const actions = { ...operatorActions(caller, await firstDeliveryId()), ...adminActions(caller) };
    for (const [name, call] of Object.entries(actions)) expect([name, await codeOf(call())]).toEqual([name, "FORBIDDEN"]);
  });

  it("lets an operator act on deliveries but not administer", async () => {
    const caller = callerAs("operator");
    for (const [name, call] of Object.entries(adminActions(caller))) expect([name, await codeOf(call())]).toEqual([name, "FORBIDDEN"]);
    const id = await firstDeliveryId();
    expect(await caller.deliveries.resolve({ selection: { ids: [id] }, note: "OMS 已手工录入" })).toMatchObject({ changed: 1, skipped: [] });
    const [audit] = await database.db.select().from(deliveryActions).where(eq(deliveryActions.deliveryId, id));
    expect(audit).toMatchObject({ action: "resolve", actor: "operator@hub.test", note: "OMS 已手工录入" });
  });

  it("signs out a disabled user at their next call, whatever their session says", async () => {
    const admin = callerAs("admin");
    const victim = await admin.admin.createUser({ email: "leaver@hub.test", password: "long enough", role: "operator" });
    const ctx = () => createTRPCContext({ sessionUserId: String(victim.id) });
    expect((await createCaller(await ctx()).admin.me())?.role).toBe("operator");
    await admin.admin.updateUser({ id: victim.id, disabled: true });
    expect(await codeOf(createCaller(await ctx()).admin.me())).toBe("UNAUTHORIZED");
  });
});

describe("answers", () => {
  it("masks phones in search results for viewers only", async () => {
    const [asViewer] = (await callerAs("viewer").notices.search({ term: "13812341234" })).rows;
    const [asOperator] = (await callerAs("operator").notices.search({ term: "13812341234" })).rows;
    expect(asViewer!.phone).toBe("138****1234");
    expect(asOperator!.phone).toBe("13812341234");
  });

  it("masks phones for viewers everywhere: the notice page, raw bodies, payloads and the exchange log; operators see them whole", async () => {
    const [row] = (await callerAs("operator").notices.search({ term: "13812341234" })).rows;
    const asViewer = JSON.stringify(await callerAs("viewer").notices.story({ id: row!.id }));
    const asOperator = JSON.stringify(await callerAs("operator").notices.story({ id: row!.id }));
    expect(asOperator).toContain("13812341234");
    expect(asViewer).not.toMatch(/1381234\d{4}|138-?1234-?1234/);
    expect(asViewer).toContain("138****1234");
    const inbound = await callerAs("viewer").logs.inbound({ pageSize: 200 });
    expect(inbound.rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(inbound)).not.toMatch(/1381234\d{4}/);
    expect(JSON.stringify(await callerAs("operator").logs.inbound({ pageSize: 200 }))).toMatch(/1381234\d{4}/);
    const [delivery] = (await callerAs("viewer").deliveries.list({})).rows;
    expect(JSON.stringify(await callerAs("viewer").deliveries.get({ id: delivery!.id }))).not.toMatch(/1381234\d{4}/);
  });

  it("maps domain errors to tRPC codes with the domain's message", async () => {
    const operator = callerAs("operator");
    const [open] = await database.db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.state, "pending")).limit(1);
    const check = await operator.deliveries.checkPayload({ id: open!.id, payload: '{"dispatchNO": ""}' });
    expect(check.ok === false && check.msg).toMatch(/dispatchNO/);
    const invalid = operator.deliveries.editAndResend({ id: open!.id, payload: '{"dispatchNO": ""}' });
    await expect(invalid).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerAs("viewer").notices.story({ id: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerAs("admin").admin.createUser({ email: "VIEWER@hub.test", password: "long enough", role: "admin" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("shows a new partner token once and lists it without the secret", async () => {
    const admin = callerAs("admin");
    const created = await admin.admin.createToken({ side: "oms", label: "OMS prod" });
    expect(created.token).toMatch(/^hub_oms_/);
    const listed = await admin.admin.tokens();
    expect(JSON.stringify(listed)).not.toContain(created.token);
    await admin.admin.revokeToken({ id: created.id });
    expect((await admin.admin.tokens()).stored.find((token) => token.id === created.id)?.revokedAt).toBeInstanceOf(Date);
  });

  it("shows the settings in force without any token", async () => {
    setConfigForTests({ OMS_BASE_URL: "http://oms.test/api/", OMS_TOKEN: "oms-secret-token" });
    try {
      const settings = await callerAs("admin").admin.settings();
      expect(settings.targets.oms).toEqual({ baseUrl: "http://oms.test/api", tokenSet: true });
      expect(JSON.stringify(settings)).not.toContain("oms-secret-token");
      expect(JSON.stringify(settings)).not.toContain("test-pos-token");
    } finally {
      setConfigForTests({ OMS_BASE_URL: undefined, OMS_TOKEN: undefined });
    }
  });
});
