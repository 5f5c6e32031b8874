import type { Request } from "@playwright/test";
import { storageState } from "@/e2e/support/env";
import { callHub } from "@/e2e/support/partner-api";
import { mobilePhone } from "@/e2e/support/scenarios";
import { expect, test } from "@/e2e/support/test";
import { storeOrder } from "@/test/partner/messages";

test.use({ storageState: storageState("viewer") });

// Live updates pushed by the server (issue 12): an open page shows a new order
// without a reload, and asks the server nothing while nothing changes.

const isQuery = (request: Request) => request.url().includes("/api/trpc/") && !request.url().includes("/api/trpc/live.changes");

test("a new order appears on the open search page without reload and without polling", async ({ page }) => {
  await page.clock.install();
  const queries: string[] = [];
  page.on("request", (request) => {
    if (isQuery(request)) queries.push(new URL(request.url()).pathname);
  });
  const stream = page.waitForRequest((request) => request.url().includes("/api/trpc/live.changes"));
  await page.goto("/search");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await stream;

  // A minute of browser time with nothing new: no query goes out (no refetchInterval anywhere).
  const before = queries.length;
  await page.clock.runFor(60_000);
  expect(queries.slice(before)).toEqual([]);

  const order = storeOrder({ phone: mobilePhone() });
  await callHub("/pos/ordermake", order);
  await expect(page.getByRole("link", { name: order.dispatchNO })).toBeVisible({ timeout: 15_000 });
  // Fetched because the server said notices changed: the search, refetched, nothing else asked on a timer.
  expect(queries.slice(before).every((path) => /notices\.search/.test(path))).toBe(true);
  expect(page.url()).toMatch(/\/search$/);
});
