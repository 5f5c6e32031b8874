import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { signIn, ThrottledSignIn } from "@/auth";
import { getDb } from "@/db/client";
import type { Translate } from "@/lib/i18n/messages";
import { getPreferences } from "@/lib/i18n/server";
import { PreferencesSwitch } from "@/components/preferences-switch";
import { ensureFirstAdminOnce } from "@/server/users/first-admin";
import { getCurrentUser } from "@/trpc/server";
import { formText } from "@/lib/form-text";

async function signInAction(formData: FormData) {
  "use server";
  try {
    await signIn("credentials", {
      email: formText(formData, "email"),
      password: formText(formData, "password"),
      redirectTo: "/", // home sends each role to its landing page
    });
  } catch (error) {
    // A redirect on success is thrown too; only a refused sign-in is ours to answer.
    if (error instanceof ThrottledSignIn) redirect(`/sign-in?error=throttled&wait=${error.retryAfterSeconds}`);
    if (error instanceof AuthError) redirect("/sign-in?error=1");
    throw error;
  }
}

/** "45 seconds" / "3 minutes": how long a locked sign-in must wait, in words. */
function waitInWords(t: Translate, seconds: number): string {
  return seconds < 90 ? t("signIn.waitSeconds", { n: seconds }) : t("signIn.waitMinutes", { n: Math.ceil(seconds / 60) });
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; wait?: string }> }) {
  // Rendered per request, never at build time: the first visit on a fresh install
  // creates (and prints) the first admin, which a build must not do.
  await connection();
  await ensureFirstAdminOnce(getDb);
  if (await getCurrentUser()) redirect("/");
  const { error, wait } = await searchParams;
  const waitSeconds = Math.min(Math.max(Math.ceil(Number(wait) || 0), 1), 24 * 3600);
  const { t } = await getPreferences();
  const input = "rounded border border-slate-300 px-3 py-2";
  return (
    <main className="mx-auto mt-24 max-w-sm space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <div className="flex items-center justify-between">
        <h1 className="text-lg font-semibold">{t("app.title")}</h1>
        <PreferencesSwitch />
      </div>
      <form action={signInAction} className="flex flex-col gap-3">
        <label className="flex flex-col gap-1 text-sm">
          {t("admin.email")}
          <input name="email" type="email" autoComplete="username" required autoFocus className={input} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {t("admin.password")}
          <input name="password" type="password" autoComplete="current-password" required className={input} />
        </label>
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error === "throttled" ? t("signIn.throttled", { wait: waitInWords(t, waitSeconds) }) : t("signIn.failed")}
          </p>
        )}
        <button type="submit" className="rounded bg-blue-700 px-3 py-2 font-medium text-white hover:bg-blue-800">
          {t("signIn.submit")}
        </button>
      </form>
    </main>
  );
}
