import { foldCode } from "@/db/fold-code";
import { expect, test } from "vitest";
import { searchablePhone, searchWords } from "@/server/dashboard/search-terms";

test.each([
  ["sf1234567", "SF1234567"],
  ["ＳＦ１２３４５６７", "SF1234567"],
  ["ｄｎ－１００１", "DN-1001"],
  ["SN-1001", "SN-1001"],
])("foldCode(%s) is %s", (typed, folded) => {
  expect(foldCode(typed)).toBe(folded);
});

test.each([
  ["13800005531", "13800005531"],
  ["+86 138-0000-5531", "13800005531"],
  ["+86 13800005531", "13800005531"],
  ["0086 138 0000 5531", "13800005531"],
  ["138 0000 5531", "13800005531"],
  ["１３８００００５５３１", "13800005531"],
  ["(0571) 8888-1234", "057188881234"],
  ["5531", undefined],
  ["SF123456", undefined],
  ["林晓燕", undefined],
])("searchablePhone(%s) is %s", (typed, digits) => {
  expect(searchablePhone(typed)).toBe(digits);
});

test("words split on ASCII and ideographic spaces", () => {
  expect(searchWords(" 林晓燕\u30005531  SF1 ")).toEqual(["林晓燕", "5531", "SF1"]);
});
