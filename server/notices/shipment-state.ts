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

const insertPackage = preparedInTransaction("shipment_new_package", (db) =>
  db
    .insert(packages)
    .values({
      noticeId: sql.placeholder("noticeId"),
      transferId: sql.placeholder("transferId"),
      express: sql.placeholder("express"),
      waybillCode: sql.placeholder("waybillCode"),
    })
    .returning({ id: packages.id }),
);

// Any number of pieces in one fixed statement: they travel as one JSON array (no bind-parameter budget to split by).
const insertPieces = preparedInTransaction("shipment_new_pieces", (db) =>
  db.execute(sql`
    insert into ${pieces} (notice_id, package_id, product, color, size, sn)
    select ${sql.placeholder("noticeId")}::bigint, "packageId", product, color, size, sn
    from jsonb_to_recordset(${sql.placeholder("pieces")}::jsonb) as piece("packageId" bigint, product text, color text, size text, sn text)`),
);

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
  const newRows: { packageId: number; product: string | null; color: string | null; size: string | null; sn: string | null }[] = [];
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
      const [created] = await insertPackage.run(tx, { noticeId, transferId, express: pkg.express ?? null, waybillCode: pkg.waybillCode });
      packageId = created!.id;
      state.packages.push({ id: packageId, transferId, waybillCode: pkg.waybillCode, formerCodes: [] });
      fresh = pkg.pieces;
    }
    for (const piece of fresh) {
      newRows.push({
        packageId,
        product: piece.product ?? null,
        color: piece.color ?? null,
        size: piece.size ?? null,
        sn: piece.sn || null,
      });
    }
  }
  // The rows' keys are the recordset's column names.
  if (newRows.length > 0) await insertPieces.run(tx, { noticeId, pieces: JSON.stringify(newRows) });
  state.pieces.push(...newRows);
  return newRows;
}
