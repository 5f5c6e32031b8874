"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import type { Translate } from "@/lib/i18n/messages";
import { useTRPC, type RouterOutputs } from "@/trpc/react";

type FollowUp = RouterOutputs["deliveries"]["retryFollowUp"];
// The order people read an outcome in: one list for the panel and the toast.
const SHOWN = ["delivered", "failing", "blocked", "noTarget", "waiting", "closed"] as const;

/** "已送达 3 条，仍失败 1 条" — the non-zero counts of a follow-up. */
export function outcomeLine(t: Translate, outcome: FollowUp): string {
  return SHOWN.filter((key) => outcome[key] > 0)
    .map((key) => t(`feedback.outcome.${key}`, { n: outcome[key] }))
    .join("，");
}

/**
 * The outcome so far of deliveries a person sent again at `at`, refetched on
 * each live update about deliveries, until none is waiting or `followForMs`
 * has passed (`finished`).
 * Why follow instead of answering per item in the retry's own request: the
 * attempts run in the delivery worker, up to an attempt timeout each; holding
 * the request open that long would tie the person's click to the worker's
 * pace (see server/delivery/retry-outcome.ts).
 */
export function useRetryFollowUp({ at, followForMs }: { at: Date; followForMs: number }) {
  const trpc = useTRPC();
  const [expired, setExpired] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setExpired(true), followForMs);
    return () => clearTimeout(timer);
  }, [followForMs]);
  // No timer of its own: the live updates refetch it whenever a delivery changes (components/live/live-queries.ts).
  const { data } = useQuery(trpc.deliveries.retryFollowUp.queryOptions({ at }, { staleTime: 0 }));
  return { data, expired, finished: Boolean(data && (data.settled || expired)) };
}

/** The follow-up shown where the action was taken: progress, then the counts and the main failure reasons. */
export function RetryFollowUp({ at, followForMs }: { at: Date; followForMs: number }) {
  const { t } = useI18n();
  const { data, expired, finished } = useRetryFollowUp({ at, followForMs });
  if (!data) return null;
  const done = data.total - data.waiting;
  return (
    <div role="status" aria-label={t("feedback.retryTitle")} className="space-y-1 rounded border border-slate-200 bg-slate-50 p-2 text-sm">
      <div className="flex items-center gap-2">
        <span className="font-medium">{t("feedback.retryTitle")}</span>
        {!finished && <span className="text-slate-500">{t("feedback.progress", { done, n: data.total })}</span>}
      </div>
      {!finished && (
        <progress className="h-1.5 w-full" max={data.total || 1} value={done}>
          {done}/{data.total}
        </progress>
      )}
      <p data-testid="retry-outcome">{outcomeLine(t, data)}</p>
      {data.reasons.map((entry) => (
        <p key={entry.reason} className="font-mono text-xs break-all text-red-800">
          {t("feedback.reason", entry)}
        </p>
      ))}
      {expired && !data.settled && <p className="text-xs text-slate-500">{t("feedback.gaveUp", { s: Math.round(followForMs / 1000) })}</p>}
    </div>
  );
}
