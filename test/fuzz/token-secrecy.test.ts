import { format } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { createPartnerToken, revokePartnerToken } from "@/server/partner/authenticate";
import { useTestDatabase } from "@/test/database";
import { callPartner, OMS_TOKEN, POS_TOKEN } from "@/test/partner-client";
import { shipFromStoreOrder, storeOrder } from "@/test/partner/messages";

// A partner's secret must not leak through the hub: not into the exchange log,
// not into anything it prints, not through answers that differ by how close a
// guess came.

const database = useTestDatabase();
const printed: string[] = [];
const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

beforeAll(() => {
  for (const method of CONSOLE_METHODS) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(format(...args)));
  }
});
afterAll(() => vi.restoreAllMocks());

/** The same length as the real token, one character off at the given end. */
const oneCharOff = (token: string, at: "first" | "last") =>
  at === "first" ? `${token[0] === "x" ? "y" : "x"}${token.slice(1)}` : `${token.slice(0, -1)}${token.endsWith("x") ? "y" : "x"}`;

async function everythingStored() {
  const tables = ["exchanges", "idempotency_keys", "notices", "deliveries", "anomalies", "partner_tokens"];
  const dumps = await Promise.all(tables.map((table) => database.db.execute(sql.raw(`select * from ${table}`))));
  return JSON.stringify(dumps);
}

test("tokens, good and bad, never reach the exchange log, any table or the console", async () => {
  const created = await createPartnerToken(database.db, { side: "pos", label: "门店 S010", createdBy: "admin@hub.test" });
  const revoked = await createPartnerToken(database.db, { side: "oms", label: "旧 OMS", createdBy: "admin@hub.test" });
  await revokePartnerToken(database.db, revoked.id);
  const guesses = [oneCharOff(POS_TOKEN, "first"), oneCharOff(POS_TOKEN, "last"), `${POS_TOKEN}x`, POS_TOKEN.slice(0, -1)];

  const answers = [
    await callPartner("/pos/ordermake", storeOrder()),
    await callPartner("/pos/ordermake", storeOrder(), { token: created.token }),
    await callPartner("/oms/pushorder", shipFromStoreOrder()),
    await callPartner("/oms/pushorder", shipFromStoreOrder(), { token: revoked.token }),
    await callPartner("/oms/pushorder", shipFromStoreOrder(), { token: POS_TOKEN }),
    await callPartner("/pos/ordermake", storeOrder(), { token: OMS_TOKEN }),
    await callPartner("/pos/ordermake", null, { rawBody: "{not json", token: created.token }),
    ...(await Promise.all(guesses.map((token) => callPartner("/pos/ordermake", storeOrder(), { token })))),
    await callPartner("/pos/ordermake", storeOrder(), { token: null, headers: { authorization: `Basic ${POS_TOKEN}` } }),
  ];
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 401, 403, 403, 400, 401, 401, 401, 401, 401]);

  const stored = await everythingStored();
  const output = printed.join("\n");
  for (const secret of [POS_TOKEN, OMS_TOKEN, created.token, revoked.token, ...guesses]) {
    expect(stored).not.toContain(secret);
    expect(output).not.toContain(secret);
  }
});

test("a guess wrong in its first character and one wrong in its last get the very same answer", async () => {
  for (const token of [POS_TOKEN, (await createPartnerToken(database.db, { side: "pos", label: "S011", createdBy: "t" })).token]) {
    const [first, last] = await Promise.all(
      (["first", "last"] as const).map((at) => callPartner("/pos/ordermake", storeOrder(), { token: oneCharOff(token, at) })),
    );
    expect(first).toEqual(last);
    expect(first!.status).toBe(401);
  }
});
