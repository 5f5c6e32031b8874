import { describe, expect, it } from "vitest";
import { serialLines, type SerialPiece } from "@/server/notices/serial-lines";

const A = { product: "G1", color: "C1", size: "S" };
const B = { product: "G2", color: "C2", size: "M" };
const bare = (sn: string): SerialPiece => ({ sn, product: null, color: null, size: null });
const withSku = (sn: string, sku: typeof A): SerialPiece => ({ sn, ...sku });

describe("serialLines", () => {
  it("puts a one-line ship-from-store order's checkout serials on its line", () => {
    const { lines, unmatched } = serialLines({ ordered: [{ ...A, qtyOrdered: 2 }], shipped: [bare("SN1"), bare("SN2")], returned: [bare("SN2")] });
    expect(lines).toEqual([{ ...A, ordered: 2, shipped: 2, returned: 1, serials: ["SN1", "SN2"], returnedSerials: ["SN2"] }]);
    expect(unmatched).toEqual({ shipped: 0, returned: 0, serials: [], returnedSerials: [] });
  });

  it("leaves a multi-line order's bare serials unmatched, as a total, not as 0 on each line", () => {
    const { lines, unmatched } = serialLines({ ordered: [{ ...A, qtyOrdered: 1 }, { ...B, qtyOrdered: 2 }], shipped: [bare("SN1"), bare("SN2"), bare("SN3")], returned: [] });
    expect(lines.map((line) => [line.product, line.ordered, line.shipped])).toEqual([
      ["G1", 1, 0],
      ["G2", 2, 0],
    ]);
    expect(unmatched).toEqual({ shipped: 3, returned: 0, serials: ["SN1", "SN2", "SN3"], returnedSerials: [] });
  });

  it("matches a bare serial by the SKU another message gave it", () => {
    const { lines, unmatched } = serialLines({
      ordered: [{ ...A, qtyOrdered: 1 }, { ...B, qtyOrdered: 1 }],
      shipped: [bare("SN1"), bare("SN2")],
      returned: [],
      skuBySerial: new Map([["SN2", B]]),
    });
    expect(lines.find((line) => line.product === "G2")).toMatchObject({ shipped: 1, serials: ["SN2"] });
    expect(unmatched).toMatchObject({ shipped: 1, serials: ["SN1"] });
  });

  it("counts pieces that carry their SKU on their line, and an unordered SKU on a line of its own", () => {
    const { lines } = serialLines({ ordered: [{ ...A, qtyOrdered: 2 }, { ...B, qtyOrdered: 1 }], shipped: [withSku("SN1", A), withSku("SN9", { product: "G9", color: "C", size: "L" })], returned: [] });
    expect(lines.map((line) => [line.product, line.ordered, line.shipped])).toEqual([
      ["G1", 2, 1],
      ["G2", 1, 0],
      ["G9", 0, 1],
    ]);
  });
});
