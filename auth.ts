import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
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

const credentialsSchema = z.object({ email: z.string().trim().min(1).max(200), password: z.string().min(1).max(200) });

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: prepareAuthEnvironment(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 3600 },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new CredentialsSignin();
        await ensureFirstAdminOnce(getDb);
        const user = await verifyCredentials(await getDb(), parsed.data.email, parsed.data.password);
        if (!user) throw new CredentialsSignin();
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
