import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb, getHubDatabase } from "@/db/client";
import { log as rootLog } from "@/server/log";
import { getConfig } from "@/server/config";
import { authSecret } from "@/db/auth-secret";
import { clientAddress } from "@/server/users/client-address";
import { ensureFirstAdminOnce } from "@/server/users/first-admin";
import { attemptSignIn } from "@/server/users/sign-in";
import type { Role } from "@/lib/states";
import { endSessions } from "@/server/users/users";

declare module "next-auth" {
  interface User {
    role?: Role;
    sessionVersion?: number;
  }
  interface Session {
    user: { id: string; email: string; name?: string | null; role: Role };
    /** The user's session version when this session began; a bump ends it (server/users/users.ts). */
    sessionVersion: number;
  }
}

const log = rootLog.child({ component: "auth" });

// Auth.js logs every refused sign-in as an error with its stack; the refusal is
// logged by attemptSignIn() as one line with the e-mail and address instead.
const authLogger = {
  error(error: Error) {
    if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
    log.error({ err: error }, "auth error");
  },
  warn(code: string) {
    log.warn({ code }, "auth warning");
  },
  debug() {},
};

const credentialsSchema = z.object({ email: z.string().trim().min(1).max(200), password: z.string().min(1).max(200) });

/** Too many failed sign-ins for the account or the address; `code` reaches the sign-in page's URL. */
export class ThrottledSignIn extends CredentialsSignin {
  code = "throttled";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

// AUTH_SECRET when set; else the secret every instance shares, loaded from the database as it opens.
const sessionSecret = async () => getConfig().AUTH_SECRET ?? (await getHubDatabase(), authSecret());

export const { handlers, auth, signIn, signOut } = NextAuth(async () => ({
  secret: await sessionSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 3600 },
  pages: { signIn: "/sign-in" },
  logger: authLogger,
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const address = clientAddress(request.headers);
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) {
          log.warn({ address }, "sign-in refused: e-mail or password missing");
          throw new CredentialsSignin();
        }
        await ensureFirstAdminOnce(getDb);
        const outcome = await attemptSignIn(await getDb(), { ...parsed.data, address });
        if (outcome.kind === "throttled") throw new ThrottledSignIn(outcome.retryAfterSeconds);
        if (outcome.kind === "refused") throw new CredentialsSignin();
        const { user } = outcome;
        return { id: String(user.id), email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.role = user.role;
        token.sv = user.sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      // The role shown here is the one at sign-in; procedures re-read it from the database.
      session.user.id = token.sub ?? "";
      session.user.role = (token.role as Role | undefined) ?? "viewer";
      session.sessionVersion = typeof token.sv === "number" ? token.sv : 0;
      return session;
    },
  },
  events: {
    // Signing out ends every session of the user, copies of the cookie included.
    async signOut(message) {
      const id = Number("token" in message ? message.token?.sub : undefined);
      if (Number.isSafeInteger(id) && id > 0) await endSessions(await getDb(), id);
    },
  },
}));
