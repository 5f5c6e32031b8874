"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui";

/**
 * Copies `text` to the clipboard and says so (a toast, and the button reads
 * "copied" for a moment). Where the browser refuses (no permission, not a
 * secure context) it says to copy by hand: the text stays selectable.
 */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      toast.success(t("feedback.copied"));
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast.error(t("feedback.copyFailed"));
    }
  }
  return (
    <Button onClick={() => void copy()} aria-label={label ?? t("feedback.copy")}>
      {copied ? "✓ " : ""}
      {t("feedback.copy")}
    </Button>
  );
}
