"use client";

import { useI18n } from "@/lib/i18n/client";
import { Badge, Card, TextBlock, toneOf } from "@/components/ui";
import { DeliveryActions } from "@/components/deliveries/delivery-actions";
import { ActionLine, AttemptList, SingleDeliveryActions } from "@/components/deliveries/delivery-parts";
import { useMe } from "@/components/use-me";
import { NormalisationNote } from "@/components/exchanges/normalisation-note";
import { AnswerText, EndpointName, FailureText, QueueBadge } from "@/components/words";
import { sideName, tokenLabelText } from "@/lib/i18n/glossary";
import type { NoticeStory } from "@/server/dashboard/get-notice-story";

type Entry = NoticeStory["timeline"][number];

function ExchangeEntry({ exchange }: { exchange: Extract<Entry, { type: "exchange" }>["exchange"] }) {
  const { t, locale } = useI18n();
  return (
    <div>
      <p className="text-sm">
        <Badge>{t("timeline.inbound", { side: sideName(exchange.side, locale) })}</Badge> <EndpointName path={exchange.path} />{" "}
        <Badge tone={toneOf(exchange.outcome)}>{t(`exchangeOutcome.${exchange.outcome}`)}</Badge>{" "}
        <span className="text-xs text-slate-500">
          HTTP {exchange.responseStatus} · {exchange.durationMs} ms {exchange.tokenLabel && `· ${tokenLabelText(exchange.tokenLabel, locale)}`}
        </span>
      </p>
      <p className="text-xs">
        {t("timeline.answer")}: <AnswerText body={exchange.responseBody} />
      </p>
      <NormalisationNote changes={exchange.normalisation} />
      <details className="text-xs">
        <summary className="cursor-pointer text-blue-700">{t("timeline.request")}</summary>
        <TextBlock text={exchange.requestBody} />
        {exchange.requestTruncated && <p className="text-amber-800">{t("timeline.truncated")}</p>}
      </details>
    </div>
  );
}

function DeliveryEntry({ entry }: { entry: Extract<Entry, { type: "delivery" }> }) {
  const { t, time, locale } = useI18n();
  const { delivery } = entry;
  return (
    <div className="space-y-1">
      <p className="text-sm">
        <Badge>{t("timeline.outbound", { side: sideName(delivery.target, locale) })}</Badge> <EndpointName path={delivery.path} />{" "}
        <QueueBadge delivery={delivery} />{" "}
        {delivery.payloadVersion > 1 && (
          <>
            <Badge tone="amber">{t("delivery.edited", { n: delivery.payloadVersion })}</Badge>{" "}
          </>
        )}
        <span className="text-xs text-slate-500">
          #{delivery.id} · {t("delivery.attempts", { n: delivery.attempts })}
          {delivery.state === "pending" && ` · ${t("delivery.nextAttempt")} ${time(delivery.nextAttemptAt)}`}
        </span>
      </p>
      {delivery.blockedBy !== null && <p className="text-xs text-amber-800">{t("delivery.blockedBy", { id: delivery.blockedBy })}</p>}
      {delivery.state !== "delivered" && (delivery.answerMsg || delivery.lastError) && (
        <p className="text-xs">
          <FailureText error={delivery.lastError} httpStatus={delivery.lastStatus} msg={delivery.answerMsg} />
        </p>
      )}
      <details className="text-xs">
        <summary className="cursor-pointer text-blue-700">{t("delivery.payloadAndAttempts")}</summary>
        <TextBlock text={delivery.payload} />
        <AttemptList attempts={entry.attempts} />
      </details>
      <SingleDeliveryActions id={delivery.id} state={delivery.state} payload={delivery.payload} />
    </div>
  );
}

/** Everything that happened to the notice, oldest first: calls in, deliveries out, people's actions. */
export function NoticeTimeline({ story }: { story: NoticeStory }) {
  const { t, time } = useI18n();
  const { canAct } = useMe();
  const open = story.deliveries.some((delivery) => ["pending", "rejected", "timed_out"].includes(delivery.state));
  return (
    <Card title={t("notice.timeline")}>
      {canAct && open && (
        <div className="mb-3 rounded bg-slate-50 p-2">
          <p className="mb-1 text-xs text-slate-500">{t("notice.actOnAll")}</p>
          <DeliveryActions selection={{ filter: { noticeId: story.notice.id } }} compact />
        </div>
      )}
      <ol className="space-y-3 border-l-2 border-slate-200 pl-4">
        {story.timeline.map((entry) => (
          <li key={entry.key} className="relative">
            <span className="absolute top-1.5 -left-[1.4rem] h-2.5 w-2.5 rounded-full bg-slate-400" />
            <p className="text-xs text-slate-500">{time(entry.at)}</p>
            {entry.type === "exchange" && <ExchangeEntry exchange={entry.exchange} />}
            {entry.type === "delivery" && <DeliveryEntry entry={entry} />}
            {entry.type === "action" && <ActionLine action={entry.action} />}
          </li>
        ))}
      </ol>
    </Card>
  );
}
