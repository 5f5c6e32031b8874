// Writing an .xlsx as it is read (exceljs' streaming WorkbookWriter): each row
// is committed to the output as soon as it is added, so a large export never
// sits in memory (issue 12: customer service and store managers work in Excel).
// exceljs chosen over hand-written OOXML: well kept, streaming writer and reader
// both (the tests read the files back with it).

import type { Writable } from "node:stream";
import ExcelJS from "exceljs";

/** Beijing is UTC+8 all year (no daylight saving): the shift that makes Excel show Beijing wall time. */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

export type XlsxCell = string | number | Date | null;

/** One column: its header in the reader's language, its width in characters, and how a row fills it. Dates are written as Beijing times. */
export type XlsxColumn<Row> = { header: string; width?: number; value: (row: Row) => XlsxCell };

/**
 * A Date as an Excel date showing Beijing time: Excel dates carry no zone,
 * and exceljs writes a Date by its UTC reading, so the instant is shifted by +8 h.
 */
export const beijingExcelDate = (value: Date): Date => new Date(value.getTime() + BEIJING_OFFSET_MS);

/**
 * Writes one worksheet: a bold header row, then every row of `rows` as it
 * arrives, then the text `footer()` returns once the rows are written (a note such as
 * "rows cut at the bound"), if any.
 * Dates become real Excel dates in Beijing time (yyyy-mm-dd hh:mm:ss).
 * Resolves with the number of data rows written once the workbook is
 * finished on `stream`; rejects if reading the rows or writing fails.
 */
export async function writeXlsx<Row>(options: {
  stream: Writable;
  sheetName: string;
  columns: XlsxColumn<Row>[];
  rows: AsyncIterable<Row>;
  footer?: () => string | undefined;
}): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: options.stream, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(options.sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = options.columns.map((column, index) => ({ key: String(index), header: column.header, width: column.width ?? 16 }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let count = 0;
  for await (const row of options.rows) {
    const added = sheet.addRow(options.columns.map((column) => toCell(column.value(row))));
    added.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = "yyyy-mm-dd hh:mm:ss";
    });
    added.commit();
    count++;
  }
  const footer = options.footer?.();
  if (footer) sheet.addRow([footer]).commit();
  sheet.commit();
  await workbook.commit();
  return count;
}

function toCell(value: XlsxCell): ExcelJS.CellValue {
  if (value instanceof Date) return beijingExcelDate(value);
  return value;
}
