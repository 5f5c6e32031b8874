import path from "node:path";

// Everything the run shares between playwright.config.ts, the global setup and
// the specs: fixed ports (the hub reads its partners' URLs only at start-up, so
// the fakes must be where it was told) and the credentials it is started with.

const base = Number(process.env.E2E_PORT ?? 3917);

export const ports = { hub: base, pos: base + 1, oms: base + 2, control: base + 3, robot: base + 4 };

export const hubUrl = `http://127.0.0.1:${ports.hub}`;
export const controlUrl = `http://127.0.0.1:${ports.control}`;
/** The fake chat robots alerts go to (test/fakes/fake-robots.ts): /wecom, /dingtalk, /feishu, /webhook. */
export const robotUrl = `http://127.0.0.1:${ports.robot}`;

export const tokens = {
  /** What the POS / OMS present to the hub. */
  hubPos: "e2e-hub-pos-token",
  hubOms: "e2e-hub-oms-token",
  /** What the hub presents to the POS / OMS. */
  pos: "e2e-pos-token",
  oms: "e2e-oms-token",
};

export const users = {
  admin: { email: "admin@e2e.test", password: "admin-e2e-password" },
  operator: { email: "ops@e2e.test", password: "ops-e2e-password" },
  viewer: { email: "cs@e2e.test", password: "viewer-e2e-password" },
} as const;

export type UserName = keyof typeof users;

/** Where each signed-in browser state is kept between the setup project and the specs. */
export const storageState = (user: UserName) => path.resolve(import.meta.dirname, "../../test-results/.auth", `${user}.json`);

/** Screenshots of the main pages, committed so a reader sees the product without running it. */
/** Where to keep a page's picture: only with E2E_SCREENSHOTS=1, so a test run leaves the committed ones alone. */
export const screenshot = (name: string) =>
  process.env.E2E_SCREENSHOTS === "1" ? path.resolve(import.meta.dirname, "../screenshots", `${name}.png`) : undefined;

/** Short enough that a delivery to a failing partner times out within a test. */
export const DELIVERY_DEADLINE_SECONDS = 5;
