import ExcelJS from "exceljs";
import postgres from "postgres";
import type { Page } from "@playwright/test";
import { expect, test } from "@/e2e/support/test";
import { storageState } from "@/e2e/support/env";
import { zh } from "@/e2e/support/i18n";
import { endpointName } from "@/lib/i18n/glossary";
import { callHub } from "@/e2e/support/partner-api";
import { mobilePhone, splitStoreOrder } from "@/e2e/support/scenarios";
import { shipFromStoreOrder } from "@/test/partner/messages";

/** Clicks 导出 Excel inside `scope`, saves the download and reads its first sheet back as Excel would. */
async function downloadSheet(page: Page, scope: ReturnType<Page["locator"]>) {
  const downloading = page.waitForEvent("download");
  await scope.getByRole("button", { name: zh("export.button") }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const sheet = workbook.worksheets[0]!;
  const headers = (sheet.getRow(1).values as unknown[]).map(String);
  const rows: string[][] = [];
  sheet.eachRow((row, n) => {
    if (n > 1) rows.push((row.values as unknown[]).map(cellText));
  });
  return { headers, rows, column: (name: string) => headers.indexOf(name) };
}

function cellText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string" || typeof value === "number") return String(value);
  return value === null || value === undefined ? "" : JSON.stringify(value);
}

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

test.describe("as a viewer", () => {
  test.use({ storageState: storageState("viewer") });

  test("exports search results with Chinese headers, Beijing times and the phone masked", async ({ page }) => {
    const { order } = await splitStoreOrder();
    await page.goto(`/search?q=${order.dispatchNO}`);
    await expect(page.getByRole("link", { name: order.dispatchNO }).first()).toBeVisible();
    const sheet = await downloadSheet(page, page.locator("main"));
    expect(sheet.headers).toContain(zh("notice.dispatchNo"));
    expect(sheet.headers).toContain(zh("export.beijingTime", { label: zh("notice.createdAt") }));
    const row = sheet.rows.find((cells) => cells.includes(order.dispatchNO))!;
    expect(row[sheet.column(zh("notice.phone"))]).toBe(masked(order.phone));
    expect(row.join(" ")).not.toContain(order.phone);
  });

  test("exports the stores past the 24 h window, notice by notice", async ({ page }) => {
    const order = shipFromStoreOrder({ phone: mobilePhone(), shopCode: "S777" });
    await callHub("/oms/pushorder", order);
    // Age the notice past the shipping window instead of waiting a day.
    const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
    await sql`update notices set created_at = now() - interval '30 hours' where dispatch_no = ${order.dispatchNO}`;
    await sql.end();

    await page.goto("/overview");
    const late = page.locator("section").filter({ has: page.getByRole("heading", { name: zh("overview.lateStores") }) });
    await expect(late).toContainText("S777");
    const sheet = await downloadSheet(page, late);
    expect(sheet.headers).toContain(zh("export.beijingTime", { label: zh("export.pushedAt") }));
    const row = sheet.rows.find((cells) => cells.includes(order.dispatchNO))!;
    expect(row[sheet.column(zh("notice.shop"))]).toBe("S777");
    expect(row[sheet.column(zh("notice.phone"))]).toBe(masked(order.phone));
  });
});

test.describe("as an operator", () => {
  test.use({ storageState: storageState("operator") });

  test("exports the delivery queue the page shows, states in the tab's words", async ({ page }) => {
    const { order } = await splitStoreOrder();
    await page.goto("/deliveries?queue=delivered");
    await expect(page.getByRole("row").filter({ hasText: order.dispatchNO }).first()).toBeVisible({ timeout: 15_000 });
    const sheet = await downloadSheet(page, page.locator("main"));
    expect(sheet.headers).toContain(zh("delivery.deliveryId"));
    const rows = sheet.rows.filter((cells) => cells.includes(order.dispatchNO));
    expect(rows.map((cells) => cells[sheet.column(zh("delivery.state"))])).toContain(zh("queue.delivered"));
    expect(rows.map((cells) => cells[sheet.column(zh("delivery.path"))])).toContain(endpointName("/pos/ordermake", "zh-CN"));
  });
});
