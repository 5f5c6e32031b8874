"use client";

import { toast } from "sonner";
import type { Translate } from "@/lib/i18n/messages";
import { queueOf } from "@/lib/delivery-queues";

/** A failed action's toast: the server's message (already in words a person reads) in the UI language's frame. */
export function toastFailure(t: Translate, error: { message: string }) {
  toast.error(t("feedback.failed", { reason: error.message }));
}

/**
 * "Skipped: 3 (delivered: 2, cancelled: 1)" for the deliveries of a selection
 * an action left alone because they were already closed; "" when none.
 */
export function skippedText(t: Translate, skipped: { state: string; n: number }[]): string {
  const n = skipped.reduce((sum, entry) => sum + entry.n, 0);
  if (n === 0) return "";
  const detail = skipped.map((entry) => t("feedback.skippedState", { state: t(`queue.${queueOf({ state: entry.state })}`), n: entry.n })).join("，");
  return t("feedback.skipped", { n, detail });
}
