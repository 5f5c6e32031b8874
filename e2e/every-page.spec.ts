import type { Page } from "@playwright/test";
import { expect, test } from "@/e2e/support/test";
import { hubUrl, screenshot, storageState } from "@/e2e/support/env";
import { splitStoreOrder } from "@/e2e/support/scenarios";
import { LOCALE_COOKIE } from "@/lib/i18n/locale";
import { dictionaries, translator } from "@/lib/i18n/messages";

// Every dashboard page, read in both languages by an admin (who sees them all):
// no message key shown raw (a missing translation), no environment variable
// name in the words (only as a small code hint), and a picture of each for
// e2e/screenshots (E2E_SCREENSHOTS=1): <page>.png in Chinese, <page>.en.png in English.

test.use({ storageState: storageState("admin") });

const KEYS = Object.keys(dictionaries["zh-CN"]);
const ENV_NAME = /\b[A-Z]{3,}_[A-Z_]{2,}\b/;

/** The page's words: the text of <main> without code, monospace values and raw bodies (ids, paths, payloads, hints). */
async function wordsOf(page: Page): Promise<string> {
  return page.locator("main").evaluate((main) => {
    const copy = main.cloneNode(true) as HTMLElement;
    copy.querySelectorAll("code, pre, .font-mono").forEach((element) => element.remove());
    return copy.innerText;
  });
}

for (const locale of ["zh-CN", "en"] as const) {
  test(`every page reads in ${locale}: no raw message key, no environment variable in its words`, async ({ page, context }) => {
    const t = translator(locale);
    await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: hubUrl }]);
    const { order } = await splitStoreOrder();
    await page.goto(`/search?q=${order.dispatchNO}`);
    await page.getByRole("link", { name: order.dispatchNO }).first().click();
    await expect(page).toHaveURL(/\/notices\/\d+$/);
    const noticeUrl = new URL(page.url()).pathname;

    const pages: [name: string, url: string, ready: string][] = [
      ["page-search", `/search?q=${order.dispatchNO}`, order.dispatchNO],
      ["page-notice", noticeUrl, t("notice.timeline")],
      ["page-deliveries", "/deliveries?queue=delivered", t("queue.delivered")],
      ["page-overview", "/overview", t("overview.lateStores")],
      ["page-exchanges", "/exchanges", order.dispatchNO],
      ["page-problems", "/problems", t("problems.heads")],
      ["page-users", "/admin/users", t("admin.newUser")],
      ["page-tokens", "/admin/tokens", t("admin.newToken")],
      ["page-settings", "/admin/settings", t("settings.liveTitle")],
      ["page-alerts", "/admin/alerts", t("alerts.tabChannels")],
    ];
    for (const [name, url, ready] of pages) {
      await page.goto(url);
      await expect(page.locator("main")).toContainText(ready, { timeout: 15_000 });
      const words = await wordsOf(page);
      expect(KEYS.filter((key) => words.includes(key)), `${url}: raw message keys`).toEqual([]);
      expect(words.match(ENV_NAME)?.[0] ?? null, `${url}: an environment variable in the words`).toBeNull();
      // No English label leaks into the Chinese page.
      if (locale === "zh-CN") expect(words, url).not.toContain(translator("en")("notice.dispatchNo"));
      await page.screenshot({ path: screenshot(locale === "zh-CN" ? name : `${name}.en`), fullPage: true });
    }
  });
}
