import { foldCode, foldedCode } from "@/db/fold-code";
import { and, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { noticeReturns, packages, pieces, transfers, waybillChanges } from "@/db/schema/notices";
import { codeForms, nameForms, searchablePhone, type SearchMatch } from "@/server/dashboard/search-terms";

type Hit = {
  id: number;
  dispatchNo: string;
  purchaseCode: string | null;
  memberCode: string | null;
  receiver: string | null;
  phone: string | null;
  phoneDigits: string | null;
  phoneTail: string | null;
  shopCode: string | null;
};

/**
 * Which key each hit matched, for the page only (≤ 100 notices, five indexed
 * lookups by notice): "old waybill SF1, now JD9" rather than a bare row
 * (SPEC §6). `readings`: the term's readings, tried in turn (whole, then its
 * words). Returns notice id → matches, in SEARCH_KEYS order per word.
 */
export async function matchesOf(db: Db, hits: Hit[], readings: string[][]): Promise<Map<number, SearchMatch[]>> {
  const result = new Map<number, SearchMatch[]>();
  // The term read whole first, then word by word: a hit is explained by the first reading that explains it.
  for (const words of readings) {
    const pending = hits.filter((hit) => !result.get(hit.id)?.length);
    for (const [id, matches] of await matchesOfWords(db, pending, words)) result.set(id, matches);
  }
  return result;
}

async function matchesOfWords(db: Db, hits: Hit[], words: string[]): Promise<Map<number, SearchMatch[]>> {
  const result = new Map<number, SearchMatch[]>();
  if (hits.length === 0 || words.length === 0) return result;
  const ids = hits.map((hit) => hit.id);
  const codes = [...new Set(words.flatMap(codeForms))];
  const [transferRows, packageRows, changeRows, pieceRows, returnRows] = await Promise.all([
    db.select({ noticeId: transfers.noticeId, code: transfers.transferCode }).from(transfers).where(and(inArray(transfers.noticeId, ids), inArray(foldedCode(transfers.transferCode), codes))),
    db.select({ noticeId: packages.noticeId, code: packages.waybillCode }).from(packages).where(and(inArray(packages.noticeId, ids), inArray(foldedCode(packages.waybillCode), codes))),
    db
      .select({ noticeId: waybillChanges.noticeId, old: waybillChanges.oldWaybillCode, next: waybillChanges.newWaybillCode, packageId: waybillChanges.packageId })
      .from(waybillChanges)
      .where(and(inArray(waybillChanges.noticeId, ids), inArray(foldedCode(waybillChanges.oldWaybillCode), codes))),
    db.select({ noticeId: pieces.noticeId, code: pieces.sn }).from(pieces).where(and(inArray(pieces.noticeId, ids), inArray(foldedCode(pieces.sn), codes))),
    db
      .select({ noticeId: noticeReturns.noticeId, sn: noticeReturns.sn, waybill: noticeReturns.waybillCode })
      .from(noticeReturns)
      .where(inArray(noticeReturns.noticeId, ids)),
  ]);
  // What an old waybill is now: its parcel's current waybill, else what the change asked for.
  const currentWaybills = new Map<number, string | null>();
  const parcelIds = changeRows.flatMap((row) => (row.packageId === null ? [] : [row.packageId]));
  if (parcelIds.length > 0) {
    for (const row of await db.select({ id: packages.id, code: packages.waybillCode }).from(packages).where(inArray(packages.id, parcelIds))) {
      currentWaybills.set(row.id, row.code);
    }
  }

  for (const hit of hits) {
    const found: SearchMatch[] = [];
    const add = (match: SearchMatch) => {
      if (!found.some((known) => known.key === match.key && known.value === match.value)) found.push(match);
    };
    for (const word of words) {
      // Folded on both sides, as the search matched them (db/fold-code.ts).
      const isCode = (value: string | null | undefined) => value != null && codeForms(word).includes(foldCode(value));
      if (isCode(hit.dispatchNo)) add({ key: "dispatchNo", value: hit.dispatchNo });
      if (isCode(hit.purchaseCode)) add({ key: "purchaseCode", value: hit.purchaseCode! });
      if (isCode(hit.memberCode)) add({ key: "memberCode", value: hit.memberCode! });
      const names = nameForms(word);
      if (hit.receiver !== null && names.includes(hit.receiver)) add({ key: "receiver", value: hit.receiver });
      else if (names.some((name) => hit.receiver?.startsWith(name)) && /\p{L}/u.test(word)) add({ key: "receiverPrefix", value: hit.receiver! });
      if (hit.phone === word || (hit.phoneDigits !== null && hit.phoneDigits === searchablePhone(word))) add({ key: "phone", value: "" });
      if (/^\d{4}$/.test(foldCode(word)) && hit.phoneTail === foldCode(word)) add({ key: "phoneTail", value: hit.phoneTail });
      if (isCode(hit.shopCode)) add({ key: "shopCode", value: hit.shopCode! });
      for (const row of transferRows) if (row.noticeId === hit.id && isCode(row.code)) add({ key: "transferCode", value: row.code });
      for (const row of packageRows) if (row.noticeId === hit.id && isCode(row.code)) add({ key: "waybill", value: row.code! });
      for (const row of changeRows) {
        if (row.noticeId !== hit.id || !isCode(row.old)) continue;
        const now = row.packageId === null ? row.next : (currentWaybills.get(row.packageId) ?? row.next);
        add({ key: "oldWaybill", value: row.old, now });
      }
      for (const row of pieceRows) if (row.noticeId === hit.id && isCode(row.code)) add({ key: "serial", value: row.code! });
      for (const row of returnRows) {
        if (row.noticeId !== hit.id) continue;
        if (isCode(row.sn)) add({ key: "returnSerial", value: row.sn! });
        if (isCode(row.waybill)) add({ key: "returnWaybill", value: row.waybill! });
      }
    }
    result.set(hit.id, found);
  }
  return result;
}
