import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { partnerTokens } from "@/db/schema/access";
import { deliveries } from "@/db/schema/deliveries";
import { exchanges } from "@/db/schema/exchanges";
import { notices } from "@/db/schema/notices";
import { createPartnerToken, revokePartnerToken } from "@/server/partner/authenticate";
import { useTestDatabase } from "../database";
import { callPartner, OMS_TOKEN, POS_TOKEN } from "../partner-client";
import { countRows, exchangesOf } from "./hub-state";
import { shipFromStoreOrder, storeOrder } from "./messages";

// Only the POS may call /pos/*, only the OMS /oms/*; refused callers are
// logged, store nothing, and their secret is never written down.

const database = useTestDatabase();
const accepted = { status: 200, body: { success: true } };
const UNKNOWN_TOKEN = "not-a-token-anyone-was-given";

async function expectRefused(path: string, order: { dispatchNO: string }, token: string | null, status: 401 | 403) {
  const deliveriesBefore = await countRows(database.db, deliveries);
  const answer = await callPartner(path, order, { token });
  expect(answer.status).toBe(status);
  expect(answer.body.success).toBe(false);
  expect(answer.body.msg).toBeTruthy();

  expect(await countRows(database.db, notices, eq(notices.dispatchNo, order.dispatchNO))).toBe(0);
  expect(await countRows(database.db, deliveries)).toBe(deliveriesBefore);
  // Logged, but never on the notice it names (SPEC §10): the dispatchNO is kept apart, as claimed.
  expect(await exchangesOf(database.db, order.dispatchNO)).toEqual([]);
  const logged = await database.db.select().from(exchanges).where(eq(exchanges.claimedDispatchNo, order.dispatchNO));
  expect(logged.map((c) => [c.path, c.outcome, c.responseStatus, c.noticeId])).toEqual([[path, "unauthorized", status, null]]);
}

test("no token: 401", async () => {
  await expectRefused("/pos/ordermake", storeOrder(), null, 401);
});

test("an unknown token: 401", async () => {
  await expectRefused("/pos/ordermake", storeOrder(), UNKNOWN_TOKEN, 401);
  await expectRefused("/oms/pushorder", shipFromStoreOrder(), UNKNOWN_TOKEN, 401);
});

test("a header that is not a bearer token: 401", async () => {
  const order = storeOrder();
  const answer = await callPartner("/pos/ordermake", order, { token: null, headers: { authorization: `Basic ${POS_TOKEN}` } });
  expect(answer.status).toBe(401);
  expect(await countRows(database.db, notices, eq(notices.dispatchNo, order.dispatchNO))).toBe(0);
});

test("the POS token on /oms/* and the OMS token on /pos/*: 403", async () => {
  await expectRefused("/oms/pushorder", shipFromStoreOrder(), POS_TOKEN, 403);
  await expectRefused("/pos/ordermake", storeOrder(), OMS_TOKEN, 403);
});

test("a token an admin created works for its side until it is revoked", async () => {
  const { id, token } = await createPartnerToken(database.db, { side: "pos", label: "门店 S009 收银", createdBy: "admin@hub.test" });
  const [stored] = await database.db.select().from(partnerTokens).where(eq(partnerTokens.id, id));
  expect(stored?.tokenHash).not.toContain(token);

  const order = storeOrder();
  expect(await callPartner("/pos/ordermake", order, { token })).toEqual(accepted);
  const [call] = await exchangesOf(database.db, order.dispatchNO);
  expect(call?.tokenLabel).toContain("门店 S009 收银");

  await expectRefused("/oms/pushorder", shipFromStoreOrder(), token, 403);

  await revokePartnerToken(database.db, id);
  await expectRefused("/pos/ordermake", storeOrder(), token, 401);
});

test("a token limited to some shops acts for them only: other shops' calls get 403, by the shop named or the notice's", async () => {
  const { token } = await createPartnerToken(database.db, {
    side: "pos",
    label: "S001 store POS",
    createdBy: "admin@example.com",
    shopCodes: ["S001"],
  });
  expect(await callPartner("/pos/ordermake", storeOrder({ shopCode: "S001" }), { token })).toEqual(accepted);
  await expectRefused("/pos/ordermake", storeOrder({ shopCode: "S009" }), token, 403);

  // Ship-from-store follow-ups name no shop: the notice's shop decides.
  const elsewhere = shipFromStoreOrder({ shopCode: "S002" });
  await callPartner("/oms/pushorder", elsewhere);
  const refused = await callPartner("/pos/refuse", { dispatchNO: elsewhere.dispatchNO, reason: "缺货" }, { token });
  expect(refused.status).toBe(403);
  const [untouched] = await database.db.select().from(notices).where(eq(notices.dispatchNo, elsewhere.dispatchNO));
  expect(untouched!.status).toBe("pending");
  expect((await exchangesOf(database.db, elsewhere.dispatchNO)).map((c) => c.outcome)).toEqual(["accepted"]);

  const ours = shipFromStoreOrder({ shopCode: "S001" });
  await callPartner("/oms/pushorder", ours);
  expect(await callPartner("/pos/refuse", { dispatchNO: ours.dispatchNO, reason: "缺货" }, { token })).toEqual(accepted);
  const [stored] = await database.db.select().from(partnerTokens).where(eq(partnerTokens.label, "S001 store POS"));
  await expect.poll(async () => (await database.db.select().from(partnerTokens).where(eq(partnerTokens.id, stored!.id)))[0]!.lastUsedAt).not.toBeNull();
});

test("no token, given or refused, is ever written to the exchange log", async () => {
  const { token } = await createPartnerToken(database.db, { side: "oms", label: "OMS 备用", createdBy: "admin@hub.test" });
  await callPartner("/oms/pushorder", shipFromStoreOrder(), { token });
  await callPartner("/pos/ordermake", storeOrder(), { token });
  await callPartner("/pos/ordermake", storeOrder());
  await callPartner("/pos/ordermake", storeOrder(), { token: UNKNOWN_TOKEN });

  const logged = await database.db.select().from(exchanges);
  expect(logged.length).toBeGreaterThanOrEqual(4);
  const text = JSON.stringify(logged);
  for (const secret of [POS_TOKEN, OMS_TOKEN, UNKNOWN_TOKEN, token]) expect(text).not.toContain(secret);
  expect(logged.every((row) => !Object.keys(row.headers).some((name) => name.toLowerCase() === "authorization"))).toBe(true);
});
