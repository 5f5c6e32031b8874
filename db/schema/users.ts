import { bigserial, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** viewer reads everything; operator also acts on deliveries; admin also manages users, tokens and settings. */
export const userRole = pgEnum("user_role", ["viewer", "operator", "admin"]);

/** People who sign in to the dashboard. Only a bcrypt hash of the password is kept. */
export const users = pgTable(
  "users",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    // Stored lower-cased so sign-in is case-insensitive on the address.
    email: text().notNull(),
    name: text(),
    passwordHash: text().notNull(),
    role: userRole().notNull().default("viewer"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdBy: text(),
    disabledAt: timestamp({ withTimezone: true }),
    lastSignInAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);
