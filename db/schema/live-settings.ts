import { bigserial, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Settings an admin changed in the dashboard, over the environment's values
 * (lib/setting-kinds.ts names the keys: delivery targets and the
 * tokens the hub presents, attempt timeout, retry window, concurrency). A key
 * with no row takes the environment's value. Tokens are stored AES-256-GCM
 * sealed (server/secret-box.ts), other values as checked.
 * (hub_settings, db/schema/settings.ts, holds values the hub generates itself.)
 */
export const liveSettings = pgTable("live_settings", {
  key: text().primaryKey(),
  value: text().notNull(),
  updatedBy: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * Who changed which live setting, when, from what to what. A token's value is
 * never written here, only its masked form ("e2e-…oken").
 * Null before / after = the environment's value was in force.
 */
export const liveSettingsAudit = pgTable(
  "live_settings_audit",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    key: text().notNull(),
    before: text(),
    after: text(),
    actor: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("live_settings_audit_by_created").on(t.createdAt)],
);
