import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { noticeItems, packages, pieces, waybillChanges } from "@/db/schema/notices";
import { piecesNotYetRecorded, type Piece } from "@/server/notices/rules";

export type ShipmentState = Awaited<ReturnType<typeof loadShipmentState>>;

export type IncomingPackage = { express?: string | null; waybillCode: string; pieces: Piece[] };

// Built once (db/prepared-in-transaction.ts): every shipment message reads these.
const orderedOf = preparedInTransaction("shipment_ordered", (db) =>
  db
    .select({ product: noticeItems.product, color: noticeItems.color, size: noticeItems.size, qty: noticeItems.qtyOrdered })
    .from(noticeItems)
    .where(eq(noticeItems.noticeId, sql.placeholder("noticeId"))),
);
const packagesOf = preparedInTransaction("shipment_packages", (db) =>
  db
    .select({ id: packages.id, transferId: packages.transferId, waybillCode: packages.waybillCode })
    .from(packages)
    .where(eq(packages.noticeId, sql.placeholder("noticeId"))),
);
const piecesOf = preparedInTransaction("shipment_pieces", (db) =>
  db
    .select({ packageId: pieces.packageId, product: pieces.product, color: pieces.color, size: pieces.size, sn: pieces.sn })
    .from(pieces)
    .where(eq(pieces.noticeId, sql.placeholder("noticeId"))),
);
const waybillChangesOf = preparedInTransaction("shipment_waybill_changes", (db) =>
  db
    .select({ packageId: waybillChanges.packageId, oldWaybillCode: waybillChanges.oldWaybillCode })
    .from(waybillChanges)
    .where(eq(waybillChanges.noticeId, sql.placeholder("noticeId"))),
);

/** What a notice ordered and what has left for it so far. Called with the notice locked. */
export async function loadShipmentState(tx: Db, noticeId: number) {
  const [ordered, packageRows, pieceRows, changes] = await Promise.all([
    orderedOf.run(tx, { noticeId }),
    packagesOf.run(tx, { noticeId }),
    piecesOf.run(tx, { noticeId }),
    waybillChangesOf.run(tx, { noticeId }),
  ]);
  // A parcel re-labelled since it was first reported is still the same parcel
  // when the OMS re-sends its transfer under the old waybill.
  const packagesWithFormerCodes = packageRows.map((row) => ({
    ...row,
    formerCodes: changes.filter((change) => change.packageId === row.id).map((change) => change.oldWaybillCode),
  }));
  return { ordered, packages: packagesWithFormerCodes, pieces: pieceRows };
}

// A bind-parameter budget per INSERT well under Postgres's 65 535.
const PIECES_PER_INSERT = 5000;

/**
 * Records packages for one transfer (or for a store checkout: transferId null).
 * A package already recorded under the same waybill is a re-send: only its new
 * pieces are added. Returns the pieces that are new; `state` is updated.
 */
export async function recordPackages(
  tx: Db,
  state: ShipmentState,
  noticeId: number,
  transferId: number | null,
  incoming: readonly IncomingPackage[],
): Promise<Piece[]> {
  const newRows: (typeof pieces.$inferInsert)[] = [];
  for (const pkg of incoming) {
    const known = state.packages.find(
      (p) => p.transferId === transferId && (p.waybillCode === pkg.waybillCode || p.formerCodes.includes(pkg.waybillCode)),
    );
    let packageId: number;
    let fresh: Piece[];
    if (known) {
      packageId = known.id;
      fresh = piecesNotYetRecorded(
        state.pieces.filter((piece) => piece.packageId === known.id),
        pkg.pieces,
      );
    } else {
      const [created] = await tx
        .insert(packages)
        .values({ noticeId, transferId, express: pkg.express ?? null, waybillCode: pkg.waybillCode })
        .returning({ id: packages.id });
      packageId = created!.id;
      state.packages.push({ id: packageId, transferId, waybillCode: pkg.waybillCode, formerCodes: [] });
      fresh = pkg.pieces;
    }
    for (const piece of fresh) {
      newRows.push({
        noticeId,
        packageId,
        product: piece.product ?? null,
        color: piece.color ?? null,
        size: piece.size ?? null,
        sn: piece.sn || null,
      });
    }
  }
  for (let i = 0; i < newRows.length; i += PIECES_PER_INSERT) {
    await tx.insert(pieces).values(newRows.slice(i, i + PIECES_PER_INSERT));
  }
  const recorded = newRows.map((row) => ({
    packageId: row.packageId,
    product: row.product ?? null,
    color: row.color ?? null,
    size: row.size ?? null,
    sn: row.sn ?? null,
  }));
  state.pieces.push(...recorded);
  return recorded;
}
