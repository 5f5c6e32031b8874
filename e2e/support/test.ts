import { test as base, expect, type BrowserContext } from "@playwright/test";

/**
 * The `test` every spec imports (instead of @playwright/test's): each browser
 * context a test opens — its own `page`, and any made with `browser.newContext()`
 * / `browser.newPage()` — is watched for console errors and uncaught page errors
 * (React's hydration error #418 is one), and the test fails at its end if any
 * appeared that it did not declare with `browserErrors.allow(/pattern/)`.
 * Issue 12: "no hydration errors in the browser console".
 */
export const test = base.extend<{ browserErrors: BrowserErrors }>({
  browserErrors: [
    async ({ context, browser }, use) => {
      const errors = new BrowserErrors();
      errors.watch(context);
      // Contexts the test opens itself (other users' sessions) are watched too.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const opened = await newContext(...args);
        errors.watch(opened);
        return opened;
      };
      try {
        await use(errors);
      } finally {
        browser.newContext = newContext;
      }
      expect(errors.unexpected(), "console errors or page errors in the browser").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export class BrowserErrors {
  private readonly seen: string[] = [];
  private readonly allowed: RegExp[] = [];

  watch(context: BrowserContext) {
    context.on("console", (message) => {
      if (message.type() !== "error") return;
      const where = message.location().url;
      this.seen.push(`console: ${message.text()}${where ? ` (${where})` : ""}`);
    });
    context.on("weberror", (error) => this.seen.push(`pageerror: ${error.error().message}`));
  }

  /** Errors this test provokes on purpose (a refused request it makes, a blocked script it plants). */
  allow(pattern: RegExp) {
    this.allowed.push(pattern);
  }

  unexpected(): string[] {
    return this.seen.filter((line) => !this.allowed.some((pattern) => pattern.test(line)));
  }
}
