// Which order line each shipped or returned serial belongs to (issue 12: a
// ship-from-store notice showed 已发 0 / 已退 0 next to its 已发货 badge, since a
// store checkout (seed: 门店出库回传, pos/checkout) sends serials without SKU).

import { skuKey, type Sku } from "@/server/notices/rules";

/** A piece as stored: its own SKU when the message carried one (warehouse packages, OMS receive), else only its serial. */
export type SerialPiece = { sn: string | null; product: string | null; color: string | null; size: string | null };

export type ItemLine = Sku & {
  ordered: number;
  shipped: number;
  returned: number;
  /** Serials counted on this line, in the order they came. */
  serials: string[];
  returnedSerials: string[];
};

/** Pieces no line can claim: shown as one total ("N 件已发，件码未带货号"), never as 0 on every line. */
export type UnmatchedPieces = { shipped: number; returned: number; serials: string[]; returnedSerials: string[] };

/**
 * Ordered / shipped / returned per SKU, with serials, for the notice page.
 *
 * A piece is counted on a line by, in order: its own SKU; the SKU another
 * message gave the same serial (`skuBySerial`: a warehouse package or an OMS
 * receive naming it with product/color/size); the only line of a one-line
 * order. Otherwise it stays unmatched. A SKU shipped but not ordered gets a
 * line of its own with ordered 0 (the anomaly says so).
 *
 * @param ordered the notice's items (qtyOrdered pieces per SKU)
 * @param shipped pieces that left (pieces table)
 * @param returned pieces that came back (notice_returns)
 * @param skuBySerial SKU known for a serial from any message, keyed by sn
 */
export function serialLines(input: {
  ordered: readonly (Sku & { qtyOrdered: number })[];
  shipped: readonly SerialPiece[];
  returned: readonly SerialPiece[];
  skuBySerial?: ReadonlyMap<string, Sku>;
}): { lines: ItemLine[]; unmatched: UnmatchedPieces } {
  const lines = new Map<string, ItemLine>();
  const line = (sku: Sku) => {
    const key = skuKey(sku);
    let found = lines.get(key);
    if (!found) {
      found = { product: sku.product, color: sku.color, size: sku.size, ordered: 0, shipped: 0, returned: 0, serials: [], returnedSerials: [] };
      lines.set(key, found);
    }
    return found;
  };
  for (const item of input.ordered) line(item).ordered += item.qtyOrdered;
  const onlyLine = input.ordered.length === 1 ? input.ordered[0]! : null;

  const skuOf = (piece: SerialPiece): Sku | null => {
    if (piece.product !== null && piece.color !== null && piece.size !== null) return { product: piece.product, color: piece.color, size: piece.size };
    const known = piece.sn ? input.skuBySerial?.get(piece.sn) : undefined;
    return known ?? onlyLine;
  };

  const unmatched: UnmatchedPieces = { shipped: 0, returned: 0, serials: [], returnedSerials: [] };
  // Shipped and returned pieces are placed by the same rule, each into its own counters.
  const place = (pieces: readonly SerialPiece[], count: "shipped" | "returned", serials: "serials" | "returnedSerials") => {
    for (const piece of pieces) {
      const sku = skuOf(piece);
      const into = sku ? line(sku) : unmatched;
      into[count] += 1;
      if (piece.sn) into[serials].push(piece.sn);
    }
  };
  place(input.shipped, "shipped", "serials");
  place(input.returned, "returned", "returnedSerials");
  return { lines: [...lines.values()], unmatched };
}
