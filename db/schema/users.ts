import { bigint, bigserial, boolean, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { roles } from "../../lib/states";

/** viewer reads everything; operator also acts on deliveries; admin also manages users, tokens and settings (lib/states.ts). */
export const userRole = pgEnum("user_role", roles);

/** People who sign in to the dashboard. Only a hash of the password is kept (argon2id; older rows bcrypt until their next sign-in). */
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
    // Carried in the session cookie and compared on every request: bumping it
    // (sign-out, password change or reset, disabling) ends every session at once.
    sessionVersion: integer().notNull().default(0),
    // A generated first password or an admin's reset: until the user picks
    // their own, the change-password page is all they can reach.
    mustChangePassword: boolean().notNull().default(false),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);

/**
 * rate-limiter-flexible's PostgreSQL store (RateLimiterPostgres with
 * `tableCreated: true`): one row per throttled key (`<prefix>:<e-mail or
 * address>`), `points` used and `expire` in ms since the epoch. Created here
 * rather than by the library at run time; the columns are the library's own.
 */
export const signInLimits = pgTable("sign_in_limits", {
  key: varchar({ length: 255 }).primaryKey(),
  points: integer().notNull().default(0),
  expire: bigint({ mode: "number" }),
});
