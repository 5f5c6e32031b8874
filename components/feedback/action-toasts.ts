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

/**
 * The toast's detail after an action on a selection: "2 of the 3 confirmed
 * changed…" when fewer changed than the person confirmed (a filter's count;
 * `confirmed` null for ids), then skippedText; "" when there is nothing to add.
 */
export function actionDetail(
  t: Translate,
  result: { changed: number; confirmed: number | null; skipped: { state: string; n: number }[] },
): string {
  const fewer = result.confirmed !== null && result.changed < result.confirmed
    ? t("feedback.fewerThanConfirmed", { changed: result.changed, confirmed: result.confirmed })
    : "";
  return [fewer, skippedText(t, result.skipped)].filter(Boolean).join(" · ");
}
