import { AuthError } from "next-auth";
import Link from "next/link";
import { redirect } from "next/navigation";
import { signIn } from "@/auth";
import { getDb } from "@/db/client";
import { getPreferences } from "@/lib/i18n/server";
import { PreferencesSwitch } from "@/components/preferences-switch";
import { HubError } from "@/server/errors";
import { changePassword, newPasswordSchema } from "@/server/users/users";
import { getCurrentUser } from "@/trpc/server";
import { formText } from "@/lib/form-text";

/**
 * Every user changes their own password here; a user signed in with a
 * generated or admin-reset password is sent here and can reach nothing else
 * until they do (SPEC §10). The change ends every session of the user, this
 * one is signed in again with the new password.
 */
async function changePasswordAction(formData: FormData) {
  "use server";
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const currentPassword = formText(formData, "current");
  const newPassword = formText(formData, "new");
  if (newPassword !== formText(formData, "confirm")) redirect("/change-password?error=mismatch");
  if (!newPasswordSchema.safeParse(newPassword).success || newPassword === currentPassword) redirect("/change-password?error=invalid");
  try {
    await changePassword(await getDb(), { id: user.id, currentPassword, newPassword });
  } catch (error) {
    if (error instanceof HubError && error.code === "forbidden") redirect("/change-password?error=wrong");
    throw error;
  }
  try {
    await signIn("credentials", { email: user.email, password: newPassword, redirectTo: "/" }); // home sends each role to its landing page
  } catch (error) {
    // Success redirects by throwing too; a refusal (a lock, say) sends them to sign in by hand.
    if (error instanceof AuthError) redirect("/sign-in");
    throw error;
  }
}

const ERRORS = { wrong: "password.wrongCurrent", mismatch: "password.mismatch", invalid: "password.invalid" } as const;

export default async function ChangePasswordPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const { error } = await searchParams;
  const { t } = await getPreferences();
  const input = "rounded border border-slate-300 px-3 py-2";
  const message = error && error in ERRORS ? t(ERRORS[error as keyof typeof ERRORS]) : null;
  return (
    <main className="mx-auto mt-24 max-w-sm space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <div className="flex items-center justify-between">
        <h1 className="text-lg font-semibold">{t("password.title")}</h1>
        <PreferencesSwitch />
      </div>
      <p className="text-sm text-slate-600" data-testid="current-user">
        {user.email}
      </p>
      {user.mustChangePassword && (
        <p role="status" className="rounded bg-amber-50 p-2 text-sm text-amber-900">
          {t("password.mustChange")}
        </p>
      )}
      <form action={changePasswordAction} className="flex flex-col gap-3">
        {/* The e-mail lets password managers file the new password under the right account. */}
        <input type="hidden" name="username" autoComplete="username" value={user.email} />
        <label className="flex flex-col gap-1 text-sm">
          {t("password.current")}
          <input name="current" type="password" autoComplete="current-password" required autoFocus className={input} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {t("password.new")}
          <input name="new" type="password" autoComplete="new-password" required minLength={8} maxLength={200} className={input} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {t("password.confirm")}
          <input name="confirm" type="password" autoComplete="new-password" required minLength={8} maxLength={200} className={input} />
        </label>
        {message && (
          <p role="alert" className="text-sm text-red-700">
            {message}
          </p>
        )}
        <button type="submit" className="rounded bg-blue-700 px-3 py-2 font-medium text-white hover:bg-blue-800">
          {t("password.submit")}
        </button>
      </form>
      {!user.mustChangePassword && (
        <Link href="/search" className="block text-sm text-blue-700 hover:underline">
          {t("nav.search")}
        </Link>
      )}
    </main>
  );
}
