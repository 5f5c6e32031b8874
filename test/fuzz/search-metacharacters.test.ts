import { beforeAll, expect, test } from "vitest";
import { searchNotices } from "@/server/dashboard/search-notices";
import { useTestDatabase } from "@/test/database";
import { callPartner } from "@/test/partner-client";
import { storeOrder, uniqueCode } from "@/test/partner/messages";

// A search term is data: SQL and LIKE metacharacters match only notices that
// really carry them, and never make the search fail.

const database = useTestDatabase();
const injection = storeOrder({ receiver: "' OR 1=1 --" });
const placeholder = storeOrder({ memberCode: "$1" });
const plain = storeOrder({ receiver: "王五", memberCode: uniqueCode("M") });

beforeAll(async () => {
  for (const order of [injection, placeholder, plain]) expect((await callPartner("/pos/ordermake", order)).status).toBe(200);
});

const found = async (term: string) => (await searchNotices(database.db, { term })).rows.map((row) => row.dispatchNo);

test.each([
  ["' OR 1=1 --", [injection.dispatchNO]],
  ["$1", [placeholder.dispatchNO]],
  ["%", []],
  ["_", []],
  ["\\", []],
  ["%' --", []],
  ["$2", []],
  ["'); delete from notices; --", []],
])("the term %j finds exactly the notices carrying it", async (term, expected) => {
  expect(await found(term)).toEqual(expected);
  expect(await found(plain.dispatchNO)).toEqual([plain.dispatchNO]);
});
