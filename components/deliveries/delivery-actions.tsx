"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useI18n } from "@/lib/i18n/client";
import { actionDetail, toastFailure } from "@/components/feedback/action-toasts";
import { RetryFollowUp } from "@/components/feedback/retry-follow-up";
import { followRetry } from "@/components/feedback/follow-ups";
import { Button, ErrorNote, inputClass } from "@/components/ui";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import type { DeliveryFilter } from "@/components/deliveries/url-filter";

export type Selection = { ids: number[] } | { filter: DeliveryFilter };
type Action = "retryNow" | "resolve" | "cancel";

type Result = RouterOutputs["deliveries"]["cancel"] & { followForMs?: number };

/**
 * Retry now / resolve / cancel on one delivery or a filtered set. Nothing
 * changes until the person has seen how many deliveries will. Afterwards a
 * toast says what changed and what was skipped (and why); a retry is then
 * followed until its deliveries have an outcome (RetryFollowUp).
 */
export function DeliveryActions({ selection, compact = false }: { selection: Selection; compact?: boolean }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const [note, setNote] = useState("");
  const [retried, setRetried] = useState<{ at: Date; followForMs: number } | null>(null);
  const count = useQuery(trpc.deliveries.countSelected.queryOptions(selection, { enabled: action !== null }));
  const options = (done: "retryNow" | "resolve" | "cancel") => ({
    onSuccess: (result: Result) => {
      setAction(null);
      setNote("");
      void queryClient.invalidateQueries();
      const skipped = actionDetail(t, result);
      if (done === "retryNow" && result.changed > 0 && result.followForMs) {
        setRetried({ at: result.at, followForMs: result.followForMs });
        followRetry({ at: result.at, followForMs: result.followForMs });
        toast.info(t("feedback.retryStarted", { n: result.changed }), { description: skipped || undefined });
        return;
      }
      const what = t(done === "cancel" ? "feedback.cancelled" : done === "resolve" ? "feedback.resolved" : "actions.done", { n: result.changed });
      (result.changed > 0 ? toast.success : toast.warning)(what, { description: skipped || undefined });
    },
    onError: (error: { message: string }) => {
      toastFailure(t, error);
      // A refused confirmation (409 "count again") shows the new count, so the next Confirm (n) carries it.
      void count.refetch();
    },
  });
  const retry = useMutation(trpc.deliveries.retryNow.mutationOptions(options("retryNow")));
  const resolve = useMutation(trpc.deliveries.resolve.mutationOptions(options("resolve")));
  const cancel = useMutation(trpc.deliveries.cancel.mutationOptions(options("cancel")));
  const running = retry.isPending || resolve.isPending || cancel.isPending;
  const error = retry.error ?? resolve.error ?? cancel.error;
  const noteRequired = action === "resolve" || action === "cancel";

  function confirm() {
    if (!count.data) return;
    // A filter's action acts on what was counted, not on what arrived since (manual-actions.ts, ConfirmedCount).
    const confirmed = "ids" in selection ? selection : { ...selection, confirmed: count.data };
    if (action === "retryNow") retry.mutate({ selection: confirmed, note: note.trim() || undefined });
    if (action === "resolve") resolve.mutate({ selection: confirmed, note });
    if (action === "cancel") cancel.mutate({ selection: confirmed, note });
  }

  const open = (next: Action) => {
    setRetried(null);
    setAction(next);
  };
  const size = compact ? "px-2 py-1 text-xs" : "";

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <Button className={size} onClick={() => open("retryNow")}>
          {t("actions.retryNow")}
        </Button>
        <Button className={size} onClick={() => open("resolve")}>
          {t("actions.resolve")}
        </Button>
        <Button className={size} tone="danger" onClick={() => open("cancel")}>
          {t("actions.cancel")}
        </Button>
      </div>
      {retried && <RetryFollowUp key={retried.at.getTime()} at={retried.at} followForMs={retried.followForMs} />}
      {action && (
        <div role="dialog" aria-label={t(`actions.${action}`)} className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3">
          <p className="text-sm font-medium">
            {count.data === undefined ? t("common.loading") : t("actions.willChange", { n: count.data.n, action: t(`actions.${action}`) })}
          </p>
          <textarea
            aria-label={t("actions.note")}
            placeholder={noteRequired ? t("actions.noteRequired") : t("actions.noteOptional")}
            value={note}
            onChange={(event) => setNote(event.target.value)}
            className={`${inputClass} w-full`}
            rows={2}
          />
          <ErrorNote error={error} />
          <div className="flex gap-2">
            <Button
              tone={action === "cancel" ? "danger" : "primary"}
              disabled={running || !count.data?.n || (noteRequired && !note.trim())}
              onClick={confirm}
            >
              {t("actions.confirm", { n: count.data?.n ?? 0 })}
            </Button>
            <Button onClick={() => setAction(null)}>{t("common.close")}</Button>
          </div>
        </div>
      )}
    </div>
  );
}
