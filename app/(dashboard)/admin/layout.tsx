import type { ReactNode } from "react";
import { getPreferences } from "@/lib/i18n/server";
import { getCurrentUser } from "@/trpc/server";

/** Admin pages say so to a non-admin; the procedures refuse them either way. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  if (user?.role !== "admin") {
    const { t } = await getPreferences();
    return <p className="rounded bg-amber-50 p-4 text-amber-900">{t("admin.forbidden")}</p>;
  }
  return children;
}
