import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Values the hub generates once and every instance must share (e.g. the
 * session secret when AUTH_SECRET is unset). A row is written with
 * `insert … on conflict do nothing` and read back, so instances starting
 * together agree on the first one written.
 */
export const hubSettings = pgTable("hub_settings", {
  name: text().primaryKey(),
  value: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
