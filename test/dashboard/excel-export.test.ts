import { randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { notices } from "@/db/schema/notices";
import { translator } from "@/lib/i18n/messages";
import { prepareExport } from "@/server/dashboard/export-sheets";
import { maskForViewer } from "@/server/dashboard/mask-phone";
import { writeXlsx } from "@/server/dashboard/xlsx-writer";
import { useTestDatabase } from "@/test/database";

const database = useTestDatabase();
const zh = translator("zh-CN");
const en = translator("en");
const ROWS = 3_000;
// 2026-11-30 16:30:00 UTC = 2026-12-01 00:30:00 in Beijing: the day differs, so a UTC slip shows.
const FIRST = Date.UTC(2026, 10, 30, 16, 30, 0);

/** Runs one export into memory and reads it back with exceljs, as Excel would. */
async function exportToSheet(kind: "search" | "late-stores", input: unknown, options: { viewer?: boolean; max?: number; english?: boolean; now?: Date } = {}) {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => stream.on("end", resolve));
  const prepared = prepareExport(kind, input, database.db, options.now);
  const written = await prepared.write({
    stream,
    t: options.english ? en : zh,
    locale: options.english ? "en" : "zh-CN",
    mask: options.viewer ? maskForViewer : (row) => row,
    max: options.max ?? 20_000,
  });
  await ended;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return { written, sheet: workbook.worksheets[0]! };
}

beforeAll(async () => {
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    dispatchNo: `XL-${String(i).padStart(5, "0")}`,
    kind: "ship_from_store" as const,
    shopCode: i % 2 ? "S001" : "S002",
    receiver: "林晓燕",
    phone: `1391234${String(i).padStart(4, "0")}`,
    createdAt: new Date(FIRST + i * 1000),
    updatedAt: new Date(FIRST + i * 1000),
    createdByExchangeId: randomUUID(),
  }));
  for (let i = 0; i < rows.length; i += 500) await database.db.insert(notices).values(rows.slice(i, i + 500));
  // Real rows carry microseconds (defaultNow()); a cursor kept in milliseconds would skip some.
  await database.db.execute(sql`update notices set created_at = created_at + (id % 997) * interval '1 microsecond'`);
});

describe("Excel export (streamed)", () => {
  it("writes every search result, newest first, with Chinese headers and Beijing times", async () => {
    const { written, sheet } = await exportToSheet("search", { term: "林晓燕" });
    expect(written).toBe(ROWS);
    expect(sheet.rowCount).toBe(ROWS + 1);
    const numbers = sheet.getColumn(1).values.slice(2);
    expect(new Set(numbers).size).toBe(ROWS);
    const headers = sheet.getRow(1).values as unknown[];
    expect(headers).toContain(zh("notice.dispatchNo"));
    expect(headers).toContain(zh("export.beijingTime", { label: zh("notice.createdAt") }));
    const created = headers.indexOf(zh("export.beijingTime", { label: zh("notice.createdAt") }));
    const last = sheet.getRow(ROWS + 1);
    expect(last.getCell(headers.indexOf(zh("notice.dispatchNo"))).value).toBe("XL-00000");
    // A real Excel date showing Beijing wall time: 2026-12-01 00:30:00.
    const cell = last.getCell(created);
    expect(cell.value).toBeInstanceOf(Date);
    expect((cell.value as Date).toISOString()).toBe("2026-12-01T00:30:00.000Z");
    expect(cell.numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    expect(sheet.getRow(2).getCell(headers.indexOf(zh("notice.dispatchNo"))).value).toBe(`XL-${String(ROWS - 1).padStart(5, "0")}`);
  });

  it("masks phones for a viewer and names columns in English for an English reader", async () => {
    const { sheet } = await exportToSheet("search", { term: "XL-00042" }, { viewer: true, english: true });
    const headers = sheet.getRow(1).values as unknown[];
    expect(headers).toContain(en("notice.phone"));
    expect(sheet.getRow(2).getCell(headers.indexOf(en("notice.phone"))).value).toBe("139****0042");
  });

  it("lists the late ship-from-store notices, and stops at the bound with a row saying so", async () => {
    const now = new Date(FIRST + 3 * 86_400_000);
    const prepared = prepareExport("late-stores", { shopCode: "S001" }, database.db, now);
    expect(await prepared.exceeds(ROWS)).toBe(false);
    expect(await prepared.exceeds(100)).toBe(true);
    const all = await exportToSheet("late-stores", { shopCode: "S001" }, { now });
    expect(all.written).toBe(ROWS / 2);
    expect(new Set(all.sheet.getColumn(2).values.slice(2)).size).toBe(ROWS / 2);
    const { written, sheet } = await exportToSheet("late-stores", { shopCode: "S001" }, { max: 100, now });
    expect(written).toBe(100);
    expect(sheet.getRow(102).getCell(1).value).toBe(zh("export.cut", { max: 100 }));
  });

  it("sends rows to the output while later rows are still being read", async () => {
    const stream = new PassThrough();
    let bytes = 0;
    stream.on("data", (chunk: Buffer) => (bytes += chunk.length));
    let bytesWhenHalfRead = 0;
    async function* rows() {
      for (let i = 0; i < 4_000; i++) {
        if (i === 3_000) {
          // Let the zip stream flush what it has, then look.
          await new Promise((resolve) => setImmediate(resolve));
          bytesWhenHalfRead = bytes;
        }
        yield { n: i, text: `row ${i} ${"x".repeat(40)}` };
      }
    }
    await writeXlsx({ stream, sheetName: "s", columns: [{ header: "n", value: (row) => row.n }, { header: "text", value: (row) => row.text }], rows: rows() });
    expect(bytesWhenHalfRead).toBeGreaterThan(0);
    expect(bytes).toBeGreaterThan(bytesWhenHalfRead);
  });
});
