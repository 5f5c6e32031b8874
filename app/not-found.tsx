import Link from "next/link";
import { getPreferences } from "@/lib/i18n/server";

// Our own "not found", in the reader's language: Next's built-in one carries an
// inline <style> without the CSP nonce, which the policy (proxy.ts) blocks.
export default async function NotFound() {
  const { t } = await getPreferences();
  return (
    <div className="mx-auto mt-24 max-w-sm space-y-3 text-center">
      <h1 className="text-lg font-semibold">{t("notFound.title")}</h1>
      <Link href="/search" className="text-blue-700 hover:underline">
        {t("nav.search")}
      </Link>
    </div>
  );
}
