import { bigserial, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { partnerSide } from "./exchanges";

/** Bearer tokens partners present to the hub. Only a SHA-256 of the token is kept. */
export const partnerTokens = pgTable(
  "partner_tokens",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    side: partnerSide().notNull(),
    label: text().notNull(),
    tokenHash: text().notNull(),
    // A store's own POS may be limited to its shops; null = every shop.
    shopCodes: text().array(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdBy: text(),
    revokedAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("partner_tokens_by_hash").on(t.tokenHash)],
);
