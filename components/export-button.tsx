"use client";

import { useState } from "react";
import superjson from "superjson";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui";
import type { ExportKind } from "@/lib/states";

/** The file name the server gave (Content-Disposition filename*), else a plain one. */
function fileNameOf(response: Response): string {
  const header = response.headers.get("content-disposition") ?? "";
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  return encoded ? decodeURIComponent(encoded) : "export.xlsx";
}

/**
 * "导出 Excel": downloads what the page shows now (`input`: its current filter)
 * as .xlsx from /api/export/{kind}. A refusal (too many rows, no right) is
 * shown beside the button in the server's words, in the reader's language.
 */
export function ExportButton({ kind, input }: { kind: ExportKind; input: unknown }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setMessage(null);
    try {
      const response = await fetch(`/api/export/${kind}?${new URLSearchParams({ input: superjson.stringify(input ?? {}) }).toString()}`);
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { message?: string } | null;
        setMessage(body?.message ?? t("export.failed", { status: response.status }));
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = fileNameOf(response);
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      setMessage(t("export.failed", { status: "—" }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="inline-flex items-center gap-2">
      <Button type="button" onClick={() => void download()} disabled={busy}>
        {busy ? t("export.busy") : t("export.button")}
      </Button>
      {message && (
        <span role="alert" className="text-sm text-red-800">
          {message}
        </span>
      )}
    </span>
  );
}
