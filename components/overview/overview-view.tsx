"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Age } from "@/components/age";
import { useI18n } from "@/lib/i18n/client";
import { lateStoreHref } from "@/components/search/search-input";
import { Badge, Card, ErrorNote, Field, inputClass, Table, Td, toneOf } from "@/components/ui";
import { fillBuckets, TrafficChart } from "@/components/overview/traffic-chart";
import { formatBoundedCount } from "@/lib/bounded-count";
import { deliveryQueues } from "@/lib/delivery-queues";
import { FailingEndpoints } from "@/components/overview/failing-endpoints";
import { FailureKindLabel } from "@/components/problems/problem-labels";
import { overviewRanges, type OverviewRange } from "@/lib/overview-ranges";
import { useTRPC } from "@/trpc/react";
import { EndpointName, FailureText, QueueBadge, SideName } from "@/components/words";
import { anomalyText } from "@/lib/i18n/anomaly-text";
import { ExportButton } from "@/components/export-button";

export function OverviewView() {
  const { t, time, locale } = useI18n();
  const trpc = useTRPC();
  const [range, setRange] = useState<OverviewRange>("24h");
  const [path, setPath] = useState("");
  const [direction, setDirection] = useState<"in" | "out">("in");
  const { data, error } = useQuery(trpc.logs.overview.queryOptions({ range }));
  if (error) return <ErrorNote error={error} />;
  if (!data) return null;

  const paths = [...new Set(data.traffic.map((row) => row.path))].sort();
  const rows = data.traffic.filter((row) => row.direction === direction && (!path || row.path === path));
  const buckets = fillBuckets(rows, data.since, data.until, data.unit);
  const total = rows.reduce((sum, row) => sum + row.total, 0);
  const failed = rows.reduce((sum, row) => sum + row.failed, 0);
  const { delivery, anomaly } = data.oldest;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm text-slate-600">{t("overview.range")}</span>
        <div role="tablist" className="flex gap-1">
          {overviewRanges.map((name) => (
            <button
              key={name}
              role="tab"
              aria-selected={range === name}
              onClick={() => setRange(name)}
              className={`rounded px-3 py-1 text-sm ${range === name ? "bg-blue-700 text-white" : "bg-slate-100"}`}
            >
              {name.replace(/(\d+)/, "$1 ")}
            </button>
          ))}
        </div>
      </div>

      <div className="grid grid-cols-2 gap-2 md:grid-cols-9">
        <Link href="/problems" className="rounded-lg border border-slate-200 bg-white p-3 hover:bg-slate-50" data-testid="tile-problems">
          <p className="text-xs text-slate-500">{t("overview.activeProblems")}</p>
          <p className="text-2xl font-semibold">
            <Badge tone={data.problems.count > 0 ? "red" : "gray"}>{data.problems.count}</Badge>
          </p>
        </Link>
        {deliveryQueues.map((queue) => (
          <Link key={queue} href={`/deliveries?queue=${queue}`} className="rounded-lg border border-slate-200 bg-white p-3 hover:bg-slate-50">
            <p className="text-xs text-slate-500">{t(`queue.${queue}`)}</p>
            <p className="text-2xl font-semibold">
              <Badge tone={data.queues[queue] > 0 ? toneOf(queue) : "gray"}>{formatBoundedCount(data.queues[queue])}</Badge>
            </p>
          </Link>
        ))}
      </div>

      <Card
        title={t("overview.traffic")}
        actions={
          <div className="flex gap-2">
            <Field label={t("overview.direction")}>
              <select value={direction} onChange={(event) => setDirection(event.target.value as "in" | "out")} className={inputClass}>
                <option value="in">{t("overview.inbound")}</option>
                <option value="out">{t("overview.outbound")}</option>
              </select>
            </Field>
            <Field label={t("delivery.path")}>
              <select value={path} onChange={(event) => setPath(event.target.value)} className={inputClass}>
                <option value="">{t("common.all")}</option>
                {paths.map((name) => (
                  <option key={name}>{name}</option>
                ))}
              </select>
            </Field>
          </div>
        }
      >
        <p className="mb-2 text-sm">
          {t("overview.volume")} {total} · {t("overview.failed")} {failed} · {t("overview.failureRate")} {total ? ((failed / total) * 100).toFixed(1) : "0"}%
        </p>
        <TrafficChart buckets={buckets} unit={data.unit} />
      </Card>

      <FailingEndpoints rows={data.failing} />

      <div className="grid gap-4 md:grid-cols-2">
        <Card title={t("overview.oldestProblem")}>
          {data.problems.oldest && (
            <p className="mb-2 text-sm">
              <Link className="text-blue-700 hover:underline" href={`/problems/${data.problems.oldest.id}`}>
                {t("problems.title", { id: data.problems.oldest.id })}
              </Link>{" "}
              <SideName side={data.problems.oldest.side} /> · <EndpointName path={data.problems.oldest.path} />{" "}
              <FailureKindLabel kind={data.problems.oldest.failureKind} msg={data.problems.oldest.msg} /> · {t("problems.openCount")} {data.problems.oldest.openCount} ·{" "}
              {time(data.problems.oldest.openedAt)} <Age at={data.problems.oldest.openedAt} inline />
            </p>
          )}
          {!delivery && !anomaly && !data.problems.oldest && <p className="text-sm text-emerald-700">{t("overview.noProblems")}</p>}
          {delivery && (
            <p className="text-sm">
              <QueueBadge delivery={delivery} /> <EndpointName path={delivery.path} /> #{delivery.id} ·{" "}
              {time(delivery.createdAt)} <Age at={delivery.createdAt} inline /> <FailureText error={delivery.lastError} httpStatus={delivery.lastStatus} msg={delivery.answerMsg} />{" "}
              {delivery.noticeId && (
                <Link className="text-blue-700 underline" href={`/notices/${delivery.noticeId}`}>
                  {t("delivery.openNotice")}
                </Link>
              )}
            </p>
          )}
          {anomaly && (
            <p className="mt-2 text-sm">
              <Badge tone="amber">{t(`anomaly.${anomaly.kind}`)}</Badge> {anomalyText(anomaly, t, locale)} · {time(anomaly.createdAt)} <Age at={anomaly.createdAt} inline />{" "}
              {anomaly.noticeId && (
                <Link className="text-blue-700 underline" href={`/notices/${anomaly.noticeId}`}>
                  {t("delivery.openNotice")}
                </Link>
              )}
            </p>
          )}
        </Card>
        <Card title={t("overview.lateStores")} actions={data.lateStores.length > 0 ? <ExportButton kind="late-stores" input={{}} /> : undefined}>
          {data.lateStores.length === 0 ? (
            <p className="text-sm text-emerald-700">{t("overview.noLateStores")}</p>
          ) : (
            <Table head={[t("notice.shop"), t("overview.lateCount"), t("overview.oldestSince")]}>
              {data.lateStores.map((store) => (
                <tr key={store.shopCode}>
                  <Td>
                    <Link className="font-mono text-blue-700 hover:underline" href={lateStoreHref(store.shopCode, data.lateBefore)}>
                      {store.shopCode}
                    </Link>
                  </Td>
                  <Td>{store.count}</Td>
                  <Td>
                    {time(store.oldest)} <Age at={store.oldest} inline />
                  </Td>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
    </div>
  );
}
