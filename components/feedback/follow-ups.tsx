"use client";

import { useEffect, useState } from "react";
import { toast } from "sonner";
import { useI18n } from "@/lib/i18n/client";
import { outcomeLine, useRetryFollowUp } from "@/components/feedback/retry-follow-up";

type FollowRequest = { at: Date; followForMs: number };
const requests = new EventTarget();

/**
 * Follow a retry (or edit & resend) to its outcome in a toast that outlives
 * the button that started it: a single delivery's actions disappear as soon
 * as it is delivered, and the person may move to another page meanwhile.
 */
export function followRetry(request: FollowRequest) {
  requests.dispatchEvent(new CustomEvent<FollowRequest>("follow", { detail: request }));
}

function FollowToast({ request, onEnd }: { request: FollowRequest; onEnd: () => void }) {
  const { t } = useI18n();
  const { data, finished } = useRetryFollowUp(request);
  const id = `follow-${request.at.getTime()}`;
  useEffect(() => {
    if (!data) return;
    const line = `${t("feedback.retryTitle")}：${outcomeLine(t, data)}`;
    if (!finished) toast.loading(`${line}（${t("feedback.progress", { done: data.total - data.waiting, n: data.total })}）`, { id });
    else if (data.delivered === data.total) toast.success(line, { id, duration: 8000 });
    else toast.warning(line, { id, duration: 12_000, description: data.reasons.map((entry) => t("feedback.reason", entry)).join("\n") || undefined });
    if (finished) onEnd();
  }, [data, finished, id, t, onEnd]);
  return null;
}

/** Mounted once in the dashboard layout (beside the Toaster): runs every follow-up started with followRetry. */
export function FollowUps() {
  const [active, setActive] = useState<FollowRequest[]>([]);
  useEffect(() => {
    const add = (event: Event) => setActive((now) => [...now, (event as CustomEvent<FollowRequest>).detail]);
    requests.addEventListener("follow", add);
    return () => requests.removeEventListener("follow", add);
  }, []);
  return (
    <>
      {active.map((request) => (
        <FollowToast key={request.at.getTime()} request={request} onEnd={() => setActive((now) => now.filter((other) => other !== request))} />
      ))}
    </>
  );
}
