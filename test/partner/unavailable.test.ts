import { getConfig, setConfigForTests } from "@/server/config";
import { eq } from "drizzle-orm";
import { afterEach, expect, test } from "vitest";
import { closeHubDatabase, getDb } from "@/db/client";
import { notices } from "@/db/schema/notices";
import { partnerEndpoints } from "@/server/contract/endpoints";
import { useTestDatabase } from "../database";
import { callPartner } from "../partner-client";
import { countRows } from "./hub-state";
import { oneOfEach, storeOrder } from "./messages";

// When the hub cannot store a call it must say so (503) so the caller retries:
// an answer of 200 would lose the message, a 4xx would make the caller give up.

useTestDatabase();
const UNREACHABLE = "postgres://postgres@127.0.0.1:1/unreachable";

let workingUrl: string | undefined;

async function takeDatabaseAway() {
  workingUrl = getConfig().DATABASE_URL;
  await closeHubDatabase();
  setConfigForTests({ DATABASE_URL: UNREACHABLE });
}

async function bringDatabaseBack() {
  setConfigForTests({ DATABASE_URL: workingUrl });
  await closeHubDatabase();
}

afterEach(async () => {
  if (getConfig().DATABASE_URL === UNREACHABLE) await bringDatabaseBack();
});

test("with the database unreachable every endpoint answers 503 {success:false}", async () => {
  const bodies = oneOfEach();
  await takeDatabaseAway();
  for (const { path } of partnerEndpoints) {
    const answer = await callPartner(path, bodies[path]);
    expect({ path, status: answer.status, success: answer.body.success }).toEqual({ path, status: 503, success: false });
    expect(answer.body.msg).toBeTruthy();
  }
});

test("a call that got a 503 is accepted when retried after the database is back, stored once", async () => {
  const order = storeOrder();
  await takeDatabaseAway();
  expect((await callPartner("/pos/ordermake", order)).status).toBe(503);

  await bringDatabaseBack();
  expect(await callPartner("/pos/ordermake", order)).toEqual({ status: 200, body: { success: true } });
  expect(await countRows(await getDb(), notices, eq(notices.dispatchNo, order.dispatchNO))).toBe(1);
});
