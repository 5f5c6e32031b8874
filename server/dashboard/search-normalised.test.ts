import { beforeAll, expect, test } from "vitest";
import { searchNotices } from "@/server/dashboard/search-notices";
import { useTestDatabase } from "@/test/database";
import { callPartner } from "@/test/partner-client";
import { packageShipped, piece, SKU_A, storeOrder, transfer, uniqueCode } from "@/test/partner/messages";

// Issue 8 kind 6, SPEC §6: search reads what people type. Runs on PGlite, and on
// PostgreSQL with DATABASE_URL set (the phone_digits generated column and the
// prefix index are SQL both must accept).

const database = useTestDatabase();
const lin = storeOrder({ receiver: "林晓燕", phone: "+86 138-0000-5531" });
const linOther = storeOrder({ receiver: "林晓燕", phone: "139 0000 7777" });
const waybill = uniqueCode("SF").toUpperCase();
const serial = uniqueCode("SN").toUpperCase();
const later = uniqueCode("JD");

beforeAll(async () => {
  for (const order of [lin, linOther]) expect((await callPartner("/pos/ordermake", order)).body).toEqual({ success: true });
  const shipped = transfer("T1", "WH01", [{ waybillCode: waybill, items: [piece(SKU_A, serial)] }]);
  expect((await callPartner("/oms/delivery/package", packageShipped(lin.dispatchNO, shipped))).body).toEqual({ success: true });
  expect((await callPartner("/oms/delivery/waybillchange", { targetbillCode: waybill, waybillCode: later })).body).toEqual({ success: true });
});

const search = async (term: string) => (await searchNotices(database.db, { term })).rows;
const found = async (term: string) => (await search(term)).map((row) => row.dispatchNo).sort();
const fullWidth = (text: string) => text.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));

test.each([
  ["its 11 digits", "13800005531"],
  ["+86 and dashes", "+86-138-0000-5531"],
  ["spaces", "138 0000 5531"],
  ["full-width digits", "１３８００００５５３１"],
])("a phone stored as +86 138-0000-5531 is found by %s, and the hit says phone", async (_, typed) => {
  const rows = await search(typed);
  expect(rows.map((row) => row.dispatchNo)).toEqual([lin.dispatchNO]);
  expect(rows[0]!.matches).toEqual([{ key: "phone", value: "" }]);
});

test.each([
  ["lower case", (code: string) => code.toLowerCase()],
  ["full-width (a Chinese IME)", fullWidth],
  ["full-width lower case", (code: string) => fullWidth(code.toLowerCase())],
])("codes typed in %s are found: dispatchNO, serial, old waybill", async (_, spell) => {
  expect(await found(spell(lin.dispatchNO))).toEqual([lin.dispatchNO]);
  expect(await found(spell(serial))).toEqual([lin.dispatchNO]);
  expect(await found(spell(waybill))).toEqual([lin.dispatchNO]);
});

test("several words narrow each other: 林晓燕 5531 is one notice of the two 林晓燕", async () => {
  expect(await found("林晓燕")).toEqual([lin.dispatchNO, linOther.dispatchNO].sort());
  const rows = await search("林晓燕 5531");
  expect(rows.map((row) => row.dispatchNo)).toEqual([lin.dispatchNO]);
  expect(rows[0]!.matches).toEqual([
    { key: "receiver", value: "林晓燕" },
    { key: "phoneTail", value: "5531" },
  ]);
  // An ideographic space separates words too.
  expect(await found("林晓燕\u30007777")).toEqual([linOther.dispatchNO]);
  expect(await found("林晓燕 0000")).toEqual([]);
});

test("a name is found by its beginning, and the hit says so", async () => {
  const rows = await search("林晓");
  expect(rows.map((row) => row.dispatchNo).sort()).toEqual([lin.dispatchNO, linOther.dispatchNO].sort());
  expect(rows[0]!.matches).toEqual([{ key: "receiverPrefix", value: "林晓燕" }]);
  // LIKE's metacharacters are data.
  expect(await found("林%")).toEqual([]);
  expect(await found("林_燕")).toEqual([]);
});

test("a name typed with a space between surname and given name is the name (林 晓燕 is 林晓燕)", async () => {
  for (const typed of ["林 晓燕", "林\u3000晓燕", "林 晓"]) {
    const rows = await search(typed);
    expect(rows.map((row) => row.dispatchNo).sort()).toEqual([lin.dispatchNO, linOther.dispatchNO].sort());
    expect(rows[0]!.matches).toEqual([{ key: typed === "林 晓" ? "receiverPrefix" : "receiver", value: "林晓燕" }]);
  }
});

test("a code read out in groups is the code (SF 1234 5678 → SF12345678)", async () => {
  const groups = (code: string) => code.replace(/(.{4})(?=.)/g, "$1 ");
  expect(groups(serial)).toContain(" ");
  const rows = await search(groups(serial));
  expect(rows.map((row) => row.dispatchNo)).toEqual([lin.dispatchNO]);
  expect(rows[0]!.matches).toEqual([{ key: "serial", value: serial }]);
  expect(await found(groups(fullWidth(waybill.toLowerCase())))).toEqual([lin.dispatchNO]);
  expect(await found(groups(lin.dispatchNO))).toEqual([lin.dispatchNO]);
});

test('an old waybill hit says what it is now ("old waybill, now JD…")', async () => {
  const [row] = await search(waybill);
  expect(row!.matches).toEqual([{ key: "oldWaybill", value: waybill, now: later }]);
});

// Issue 8: partners SEND codes in lower case or full width too. Stored as sent,
// they are found by what people type (the codes folded on both sides: db/fold-code.ts).
const sentLower = storeOrder({ dispatchNO: uniqueCode("dn").toLowerCase() });
const sentWaybill = fullWidth(uniqueCode("sf").toUpperCase());
const sentSerial = uniqueCode("sn").toLowerCase();

beforeAll(async () => {
  expect((await callPartner("/pos/ordermake", sentLower)).body).toEqual({ success: true });
  const shipped = transfer("T1", "WH01", [{ waybillCode: sentWaybill, items: [piece(SKU_A, sentSerial)] }]);
  expect((await callPartner("/oms/delivery/package", packageShipped(sentLower.dispatchNO, shipped))).body).toEqual({ success: true });
});

test.each([
  ["a dispatchNO sent in lower case", () => sentLower.dispatchNO, "dispatchNo"],
  ["a waybill sent in full width", () => sentWaybill, "waybill"],
  ["a serial sent in lower case", () => sentSerial, "serial"],
] as const)("%s is found typed in upper case ASCII, and the hit shows it as sent", async (_, sent, key) => {
  const typed = sent().normalize("NFKC").toUpperCase();
  expect(typed).not.toBe(sent());
  const rows = await search(typed);
  expect(rows.map((row) => row.dispatchNo)).toEqual([sentLower.dispatchNO]);
  expect(rows[0]!.matches).toContainEqual({ key, value: sent() });
});
