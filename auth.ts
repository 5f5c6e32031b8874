import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { log as rootLog } from "@/server/log";
import { prepareAuthEnvironment } from "@/server/users/auth-secret";
import { ensureFirstAdminOnce } from "@/server/users/first-admin";
import { verifyCredentials, type Role } from "@/server/users/users";

declare module "next-auth" {
  interface User {
    role?: Role;
  }
  interface Session {
    user: { id: string; email: string; name?: string | null; role: Role };
  }
}

const log = rootLog.child({ component: "auth" });

// Auth.js logs every refused sign-in as an error with its stack; the refusal is
// logged by authorize() below as one line with the e-mail and address instead.
const authLogger = {
  error(error: Error) {
    if ((error as { type?: string }).type === "CredentialsSignin") return;
    log.error({ err: error }, "auth error");
  },
  warn(code: string) {
    log.warn({ code }, "auth warning");
  },
  debug() {},
};

/** Where a sign-in came from, as the request says it (the proxy's header first). */
const clientAddress = (request: Request) =>
  request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || request.headers.get("x-real-ip") || undefined;

const credentialsSchema = z.object({ email: z.string().trim().min(1).max(200), password: z.string().min(1).max(200) });

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: prepareAuthEnvironment(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 3600 },
  pages: { signIn: "/sign-in" },
  logger: authLogger,
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) {
          log.warn({ address: clientAddress(request) }, "sign-in refused: e-mail or password missing");
          throw new CredentialsSignin();
        }
        await ensureFirstAdminOnce(getDb);
        const user = await verifyCredentials(await getDb(), parsed.data.email, parsed.data.password);
        if (!user) {
          log.warn({ email: parsed.data.email.toLowerCase(), address: clientAddress(request) }, "sign-in refused");
          throw new CredentialsSignin();
        }
        return { id: String(user.id), email: user.email, name: user.name, role: user.role };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.role = user.role;
      return token;
    },
    session({ session, token }) {
      // The role shown here is the one at sign-in; procedures re-read it from the database.
      session.user.id = token.sub ?? "";
      session.user.role = (token.role as Role | undefined) ?? "viewer";
      return session;
    },
  },
}));
