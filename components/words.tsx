"use client";

// The vocabulary's small pieces, used by every page that shows an endpoint, a
// delivery's queue or a delivery error (issue 12: one way of saying each).

import { useI18n } from "@/lib/i18n/client";
import { explainAnswerMessage, explainFailure } from "@/lib/i18n/explain-error";
import { endpointName, sideName } from "@/lib/i18n/glossary";
import { Badge, toneOf } from "@/components/ui";
import { queueOf } from "@/lib/delivery-queues";

/** "门店下单 /pos/ordermake": the business name first, the path as a small secondary hint. */
export function EndpointName({ path, className = "" }: { path: string; className?: string }) {
  const { t, locale } = useI18n();
  const name = endpointName(path, locale);
  return (
    <span className={className}>
      {name}
      {name !== path && (
        <span className="ml-1 font-mono text-xs text-slate-500" title={t("endpoint.pathHint")}>
          {path}
        </span>
      )}
    </span>
  );
}

/** "门店 POS" / "电商 OMS". */
export function SideName({ side }: { side: string }) {
  const { locale } = useI18n();
  return <>{sideName(side, locale)}</>;
}

/** A delivery's state as the label of the queue (tab) it sits in: the same word on tabs and rows. */
export function QueueBadge({ delivery }: { delivery: { state: string; attempts?: number; blockedBy?: number | null } }) {
  const { t } = useI18n();
  const queue = queueOf(delivery);
  return <Badge tone={toneOf(queue)}>{t(`queue.${queue}`)}</Badge>;
}

/**
 * A delivery error as what to do ("对方系统无法连接：检查…"), the raw error
 * ("fetch failed: ECONNREFUSED") kept small beside it for whoever calls the
 * other side. Renders nothing when there is no error.
 */
export function FailureText({ error, httpStatus, msg, className = "" }: { error?: string | null; httpStatus?: number | null; msg?: string | null; className?: string }) {
  const { t } = useI18n();
  const text = explainFailure({ error, httpStatus, msg }, t);
  if (!text) return null;
  const raw = msg ? null : error;
  return (
    <span className={`text-red-800 ${className}`}>
      {text}
      {raw && (
        <span className="ml-1 font-mono text-xs text-slate-500" title={t("failureHelp.original")}>
          ({raw})
        </span>
      )}
    </span>
  );
}

/** The hub's answer to a call: its msg in the reader's words when it names fields ("参数错误 items: Too small…"), the JSON as a hint. */
export function AnswerText({ body }: { body: string }) {
  const { t } = useI18n();
  let msg: unknown;
  try {
    msg = (JSON.parse(body) as { msg?: unknown }).msg;
  } catch {
    msg = undefined;
  }
  const explained = typeof msg === "string" ? explainAnswerMessage(msg, t) : null;
  if (!explained || explained === msg) return <span className="font-mono">{body}</span>;
  return (
    <>
      <span className="text-red-800">{explained}</span> <span className="font-mono text-slate-500">{body}</span>
    </>
  );
}
