import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { signOut } from "@/auth";
import { getPreferences } from "@/lib/i18n/server";
import { LiveUpdates } from "@/components/live/live-updates";
import { NavLinks } from "@/components/nav-links";
import { PreferencesSwitch } from "@/components/preferences-switch";
import { Toaster } from "@/components/feedback/toaster";
import { FollowUps } from "@/components/feedback/follow-ups";
import { getCurrentUser } from "@/trpc/server";
import { TRPCReactProvider } from "@/trpc/react";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  // A disabled or deleted user is sent back to sign in even with a valid cookie.
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  // A generated or admin-reset password: the change-password page is the only one open.
  if (user.mustChangePassword) redirect("/change-password");
  const { t } = await getPreferences();

  async function signOutAction() {
    "use server";
    await signOut({ redirectTo: "/sign-in" });
  }

  return (
    <TRPCReactProvider>
      <LiveUpdates />
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-4 px-4 py-2">
          <span className="font-semibold">{t("app.title")}</span>
          <NavLinks isAdmin={user.role === "admin"} />
          <div className="ml-auto flex items-center gap-3 text-sm">
            <PreferencesSwitch />
            <span className="text-slate-600" data-testid="current-user">
              {user.email} · {t(`role.${user.role}`)}
            </span>
            <Link href="/change-password" className="text-blue-700 hover:underline">
              {t("nav.password")}
            </Link>
            <form action={signOutAction}>
              <button type="submit" className="text-blue-700 hover:underline">
                {t("nav.signOut")}
              </button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-4">{children}</main>
      <Toaster />
      <FollowUps />
    </TRPCReactProvider>
  );
}
