"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { NoticeLink } from "@/components/notice-link";
import { useState } from "react";
import { Age } from "@/components/age";
import { toast } from "sonner";
import { useI18n } from "@/lib/i18n/client";
import { toastFailure } from "@/components/feedback/action-toasts";
import { Badge, Button, Card, ErrorNote, inputClass, Table, Td } from "@/components/ui";
import { DeliveryActions } from "@/components/deliveries/delivery-actions";
import { FailureKindLabel, ProblemStateBadge } from "@/components/problems/problem-labels";
import { CursorPager } from "@/components/cursor-pager";
import { useCursorPages } from "@/components/use-cursor-pages";
import { useMe } from "@/components/use-me";
import { useTRPC } from "@/trpc/react";
import { EndpointName, FailureText, QueueBadge, SideName } from "@/components/words";

/** One problem: what failed, its counts and times, acknowledge / mute, the group actions, and its deliveries. */
export function ProblemView({ id }: { id: number }) {
  const { t, time } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { canAct } = useMe();
  const pages = useCursorPages<number>();
  const [note, setNote] = useState("");
  const problem = useQuery(trpc.problems.get.queryOptions({ id }));
  const list = useQuery(trpc.deliveries.list.queryOptions({ filter: { problemId: id }, before: pages.cursor }));
  const act = useMutation(
    trpc.problems.act.mutationOptions({
      onSuccess: (result, input) => {
        setNote("");
        void queryClient.invalidateQueries();
        toast.success(t("feedback.problemActed", { action: t(`problems.${input.action}`), state: t(`problemState.${result.state}`) }));
      },
      onError: (error) => toastFailure(t, error),
    }),
  );
  if (problem.error) return <ErrorNote error={problem.error} />;
  const data = problem.data;
  if (!data) return null;
  const actions = [
    ...(data.state === "open" ? (["acknowledge"] as const) : []),
    ...(data.state !== "muted" ? (["mute"] as const) : (["unmute"] as const)),
  ];

  return (
    <div className="space-y-4">
      <Link href="/problems" className="text-sm text-blue-700 hover:underline">
        ← {t("problems.back")}
      </Link>
      <Card
        title={
          <span className="flex items-center gap-2">
            {t("problems.title", { id })} <ProblemStateBadge state={data.state} />
          </span>
        }
      >
        <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-4">
          <dt className="text-slate-500">{t("delivery.target")}</dt>
          <dd>
            <SideName side={data.side} /> · <EndpointName path={data.path} />
          </dd>
          <dt className="text-slate-500">{t("problems.kind")}</dt>
          <dd>
            <FailureKindLabel kind={data.failureKind} msg={data.msg} />
          </dd>
          <dt className="text-slate-500">{t("problems.openCount")}</dt>
          <dd className="font-semibold" data-testid="problem-open-count">
            {data.openCount}
          </dd>
          <dt className="text-slate-500">{t("problems.totalCount")}</dt>
          <dd>{data.totalCount}</dd>
          <dt className="text-slate-500">{t("problems.firstSeen")}</dt>
          <dd>{time(data.firstSeenAt)}</dd>
          <dt className="text-slate-500">{t("problems.lastSeen")}</dt>
          <dd>
            {time(data.lastSeenAt)} <Age at={data.lastSeenAt} inline />
          </dd>
          <dt className="text-slate-500">{t("problems.openedAt")}</dt>
          <dd>{time(data.openedAt)}</dd>
          <dt className="text-slate-500">{t("problems.resolvedAt")}</dt>
          <dd>{data.resolvedAt ? time(data.resolvedAt) : "—"}</dd>
          <dt className="text-slate-500">{t("problems.example")}</dt>
          <dd className="col-span-3 text-red-800">
            {data.exampleDeliveryId ? `#${data.exampleDeliveryId} ` : ""}
            {data.exampleError}
          </dd>
          {data.acknowledgedBy && data.acknowledgedAt && (
            <dd className="col-span-4 text-slate-600">
              {t("problems.takenBy", { who: data.acknowledgedBy, when: time(data.acknowledgedAt) })}
              {data.note ? ` · ${data.note}` : ""}
            </dd>
          )}
        </dl>
        {canAct && (
          <div className="mt-3 flex flex-wrap items-center gap-2 border-t border-slate-100 pt-3">
            <input aria-label={t("problems.note")} placeholder={t("problems.note")} value={note} onChange={(event) => setNote(event.target.value)} className={`${inputClass} w-64`} />
            {actions.map((action) => (
              <Button key={action} disabled={act.isPending} onClick={() => act.mutate({ id, action, note: note.trim() || undefined })}>
                {t(`problems.${action}`)}
              </Button>
            ))}
            {data.state !== "muted" && <span className="text-xs text-slate-500">{t("problems.muteHint")}</span>}
            <ErrorNote error={act.error} />
          </div>
        )}
      </Card>

      {canAct && data.openCount > 0 && (
        <Card title={t("problems.groupActions")}>
          <DeliveryActions selection={{ filter: { problemId: id } }} />
        </Card>
      )}

      <Card
        title={t("problems.deliveries")}
        actions={
          <Link className="text-sm text-blue-700 hover:underline" href={`/deliveries?problemId=${id}&queue=timed_out`}>
            {t("problems.inDeliveries")}
          </Link>
        }
      >
        <ErrorNote error={list.error} />
        {list.data && (
          <Table head={["#", t("notice.dispatchNo"), t("delivery.state"), t("delivery.attemptsHead"), t("delivery.reason"), t("delivery.created")]}>
            {list.data.rows.map((row) => (
              <tr key={row.id}>
                <Td className="font-mono">{row.id}</Td>
                <Td>
                  <NoticeLink row={row} />
                </Td>
                <Td>
                  <QueueBadge delivery={row} />
                  {row.blocks > 0 && (
                    <span className="ml-1">
                      <Badge tone="amber">{t("delivery.blocks", { n: row.blocks })}</Badge>
                    </span>
                  )}
                </Td>
                <Td>{row.attempts}</Td>
                <Td className="max-w-md text-xs">{row.state !== "delivered" && <FailureText error={row.lastError} httpStatus={row.lastStatus} msg={row.answerMsg} />}</Td>
                <Td className="whitespace-nowrap">
                  {time(row.createdAt)} <Age at={row.createdAt} />
                </Td>
              </tr>
            ))}
          </Table>
        )}
        {list.data && <CursorPager pages={pages} nextCursor={list.data.nextCursor} />}
      </Card>
    </div>
  );
}
