"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Badge, Button, Card, ErrorNote, TextBlock, toneOf } from "@/components/ui";
import { DeliveryActions } from "@/components/deliveries/delivery-actions";
import { ActionLine, AttemptList, SingleDeliveryActions } from "@/components/deliveries/delivery-parts";
import { useMe } from "@/components/use-me";
import { NormalisationNote } from "@/components/exchanges/normalisation-note";
import { AnswerText, EndpointName, FailureText, QueueBadge } from "@/components/words";
import { sideName, tokenLabelText } from "@/lib/i18n/glossary";
import { firstTimelinePage, timelinePaging } from "@/components/notice/timeline-page";
import { openDeliveryStates } from "@/lib/states";
import type { NoticeStory } from "@/components/notice/notice-story";
import type { RouterOutputs } from "@/trpc/react";
import { useTRPC } from "@/trpc/react";

type Group = RouterOutputs["notices"]["timeline"]["groups"][number];
type Call = NonNullable<Group["call"]>;
type Produced = Group["deliveries"][number];

function CallDetail({ call }: { call: Call }) {
  const { t, locale } = useI18n();
  return (
    <div className="space-y-1">
      <p className="text-xs text-slate-500">
        HTTP {call.responseStatus} · {call.durationMs} ms {call.tokenLabel && `· ${tokenLabelText(call.tokenLabel, locale)}`}
      </p>
      <p className="text-xs">
        {t("timeline.answer")}: <AnswerText body={call.responseBody} />
      </p>
      <NormalisationNote changes={call.normalisation} />
      <details className="text-xs">
        <summary className="cursor-pointer text-blue-700">{t("timeline.request")}</summary>
        <TextBlock text={call.requestBody} />
        {call.requestTruncated && <p className="text-amber-800">{t("timeline.truncated")}</p>}
      </details>
    </div>
  );
}

function DeliveryDetail({ produced }: { produced: Produced }) {
  const { t, time, locale } = useI18n();
  const { delivery } = produced;
  return (
    <div className="space-y-1 border-l-2 border-slate-100 pl-3" data-testid="timeline-delivery">
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
        <AttemptList attempts={produced.attempts} />
      </details>
      {produced.actions.map((action) => (
        <ActionLine key={action.id} action={action} />
      ))}
    </div>
  );
}

/**
 * One inbound call and what it led to, collapsed to one line — when, which
 * call, its outcome and its delivery's state — until opened. The actions on
 * its open delivery appear once, inside.
 */
function TimelineGroup({ group }: { group: Group }) {
  const { t, time, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const { call } = group;
  const acting = group.deliveries.find((produced) => (openDeliveryStates as readonly string[]).includes(produced.delivery.state));
  return (
    <li className="relative" data-testid="timeline-group">
      <span className={`absolute top-2 -left-[1.4rem] h-2.5 w-2.5 rounded-full ${group.hasProblem ? "bg-red-600" : "bg-slate-400"}`} />
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className="flex w-full flex-wrap items-center gap-x-2 gap-y-1 text-left text-sm hover:bg-slate-50">
        <span className="text-xs text-slate-500">{open ? "▾" : "▸"} {time(group.at)}</span>
        {call ? (
          <>
            <Badge>{t("timeline.inbound", { side: sideName(call.side, locale) })}</Badge>
            <EndpointName path={call.path} />
            <Badge tone={toneOf(call.outcome)}>{t(`exchangeOutcome.${call.outcome}`)}</Badge>
          </>
        ) : (
          <span className="text-xs text-slate-500">{t("timeline.callDropped")}</span>
        )}
        {group.deliveries.map(({ delivery }) => (
          <span key={delivery.id} className="text-xs text-slate-600">
            → {sideName(delivery.target, locale)} <QueueBadge delivery={delivery} />
            {delivery.payloadVersion > 1 && (
              <>
                {" "}
                <Badge tone="amber">{t("delivery.edited", { n: delivery.payloadVersion })}</Badge>
              </>
            )}
          </span>
        ))}
      </button>
      {open && (
        <div className="mt-2 space-y-2">
          {call && <CallDetail call={call} />}
          {group.deliveries.map((produced) => (
            <DeliveryDetail key={produced.delivery.id} produced={produced} />
          ))}
          {acting && <SingleDeliveryActions id={acting.delivery.id} state={acting.delivery.state} payload={acting.delivery.payload} />}
        </div>
      )}
    </li>
  );
}

/**
 * The notice's timeline, newest call first: each inbound call grouped with the
 * delivery it produced, its attempts and people's actions, collapsed (issue 12),
 * with an "only problems" filter and "show older" pages (keyset; a notice with
 * 10 000 calls opens with one page).
 */
export function NoticeTimeline({ story }: { story: NoticeStory }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const { canAct } = useMe();
  const [onlyProblems, setOnlyProblems] = useState(false);
  const timeline = useInfiniteQuery(
    trpc.notices.timeline.infiniteQueryOptions(firstTimelinePage(story.notice.id, onlyProblems), timelinePaging),
  );
  const groups = timeline.data?.pages.flatMap((page) => page.groups) ?? [];
  const open = openDeliveryStates.some((state) => (story.deliveryStates[state] ?? 0) > 0);
  return (
    <Card
      title={t("notice.timeline")}
      actions={
        // A filter, not a selection: a toggle button (aria-pressed), so no checkbox suggests picking rows.
        <button
          type="button"
          aria-pressed={onlyProblems}
          onClick={() => setOnlyProblems(!onlyProblems)}
          className={`rounded-full border px-3 py-1 text-sm ${onlyProblems ? "border-red-700 bg-red-50 text-red-800" : "border-slate-300 text-slate-700"}`}
        >
          {t("timeline.onlyProblems")}
        </button>
      }
    >
      {canAct && open && (
        <div className="mb-3 rounded bg-slate-50 p-2">
          <p className="mb-1 text-xs text-slate-500">{t("notice.actOnAll")}</p>
          <DeliveryActions selection={{ filter: { noticeId: story.notice.id } }} compact />
        </div>
      )}
      <ErrorNote error={timeline.error} />
      {timeline.data && groups.length === 0 && <p className="text-sm text-slate-500">{onlyProblems ? t("timeline.noProblems") : t("timeline.empty")}</p>}
      <ol className="space-y-2 border-l-2 border-slate-200 pl-4">
        {groups.map((group) => (
          <TimelineGroup key={group.key} group={group} />
        ))}
      </ol>
      {timeline.hasNextPage && (
        <Button className="mt-3" disabled={timeline.isFetchingNextPage} onClick={() => void timeline.fetchNextPage()}>
          {t("timeline.showOlder")}
        </Button>
      )}
    </Card>
  );
}
