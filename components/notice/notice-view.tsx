"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Badge, Card, ErrorNote, Table, Td, TextBlock, toneOf } from "@/components/ui";
import { NoticeShipments } from "@/components/notice/notice-shipments";
import { NoticeTimeline } from "@/components/notice/notice-timeline";
import { useTRPC } from "@/trpc/react";
import { anomalyText } from "@/lib/i18n/anomaly-text";
import type { NoticeStory } from "@/components/notice/notice-story";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-sm">{children || "—"}</dd>
    </div>
  );
}

/** Deliveries of this notice in a few words: all through, some on their way, or some waiting for a person. */
function SyncState({ states }: { states: NoticeStory["deliveryStates"] }) {
  const { t } = useI18n();
  const problems = (states.rejected ?? 0) + (states.timed_out ?? 0);
  const pending = states.pending ?? 0;
  if (problems > 0) return <Badge tone="red">{t("sync.problems", { n: problems })}</Badge>;
  if (pending > 0) return <Badge tone="blue">{t("sync.pending", { n: pending })}</Badge>;
  return <Badge tone="green">{t("sync.done")}</Badge>;
}

function Header({ story }: { story: NoticeStory }) {
  const { t, time } = useI18n();
  const { notice } = story;
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          <span className="font-mono">{notice.dispatchNo}</span>
          <Badge>{t(`kind.${notice.kind}`)}</Badge>
          <Badge tone={toneOf(notice.status)}>{t(`status.${notice.status}`)}</Badge>
          <SyncState states={story.deliveryStates} />
        </span>
      }
    >
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Fact label={t("notice.shop")}>{notice.shopCode}</Fact>
        <Fact label={t("notice.purchaseCode")}>{notice.purchaseCode}</Fact>
        <Fact label={t("notice.memberCode")}>{notice.memberCode}</Fact>
        <Fact label={t("notice.preferredExpress")}>{notice.preferredExpress}</Fact>
        <Fact label={t("notice.receiver")}>{notice.receiver}</Fact>
        <Fact label={t("notice.phone")}>{notice.phone}</Fact>
        <Fact label={t("notice.address")}>{[notice.province, notice.city, notice.county, notice.address].filter(Boolean).join(" ")}</Fact>
        <Fact label={t("notice.createdAt")}>{time(notice.createdAt)}</Fact>
        <Fact label={t("notice.shippedAt")}>{notice.shippedAt && time(notice.shippedAt)}</Fact>
        {notice.voidedAt && <Fact label={t("notice.voidedAt")}>{time(notice.voidedAt)}</Fact>}
        {notice.refusedAt && <Fact label={t("notice.refusedAt")}>{`${time(notice.refusedAt)} ${notice.refuseReason ?? ""}`}</Fact>}
        {notice.over24hReason && <Fact label={t("notice.over24hReason")}>{notice.over24hReason}</Fact>}
      </dl>
    </Card>
  );
}

/** A count on a line, or "—" where serials arrived without SKU and cannot be split by line (never a false 0). */
function LineCount({ n, unknown }: { n: number; unknown: boolean }) {
  const { t } = useI18n();
  if (n === 0 && unknown) return <span title={t("notice.notSplitByLine")}>—</span>;
  return <>{n}</>;
}

/** Serials as small codes; returned ones marked. */
function Serials({ shipped, returned }: { shipped: string[]; returned: string[] }) {
  const { t } = useI18n();
  return (
    <span className="font-mono text-xs break-all">
      {shipped.join(" ")}
      {returned.length > 0 && <span className="ml-1 text-amber-800">{t("notice.returnedSerials", { serials: returned.join(" ") })}</span>}
    </span>
  );
}

function Items({ items }: { items: NoticeStory["items"] }) {
  const { t } = useI18n();
  const { unmatched } = items;
  return (
    <Card title={t("notice.items")}>
      <Table head={[t("notice.product"), t("notice.color"), t("notice.size"), t("notice.ordered"), t("notice.shipped"), t("notice.returned"), t("notice.serial")]}>
        {items.lines.map((line) => (
          <tr key={`${line.product}/${line.color}/${line.size}`} className={line.shipped > line.ordered ? "bg-amber-50" : ""}>
            <Td className="font-mono">{line.product}</Td>
            <Td className="font-mono">{line.color}</Td>
            <Td className="font-mono">{line.size}</Td>
            <Td>{line.ordered}</Td>
            <Td>
              <LineCount n={line.shipped} unknown={unmatched.shipped > 0} />
            </Td>
            <Td>
              <LineCount n={line.returned} unknown={unmatched.returned > 0} />
            </Td>
            <Td>
              <Serials shipped={line.serials} returned={line.returnedSerials} />
            </Td>
          </tr>
        ))}
        {(unmatched.shipped > 0 || unmatched.returned > 0) && (
          <tr data-testid="serials-without-sku">
            <Td className="text-slate-700" colSpan={3}>
              {[
                unmatched.shipped > 0 ? t("notice.unmatchedShipped", { n: unmatched.shipped }) : null,
                unmatched.returned > 0 ? t("notice.unmatchedReturned", { n: unmatched.returned }) : null,
              ]
                .filter(Boolean)
                .join("；")}
            </Td>
            <Td>{items.lines.reduce((sum, line) => sum + line.ordered, 0)}</Td>
            <Td>{unmatched.shipped}</Td>
            <Td>{unmatched.returned}</Td>
            <Td>
              <Serials shipped={unmatched.serials} returned={unmatched.returnedSerials} />
            </Td>
          </tr>
        )}
      </Table>
    </Card>
  );
}

function Anomalies({ anomalies }: { anomalies: NoticeStory["anomalies"] }) {
  const { t, time, locale } = useI18n();
  if (anomalies.length === 0) return null;
  return (
    <Card title={t("notice.anomalies")}>
      <ul className="space-y-2">
        {anomalies.map((anomaly) => (
          <li key={anomaly.id} className="text-sm">
            <Badge tone={anomaly.kind === "sla_breach" ? "red" : "amber"}>{t(`anomaly.${anomaly.kind}`)}</Badge> {anomalyText(anomaly, t, locale)}{" "}
            <span className="text-xs text-slate-500">
              {time(anomaly.createdAt)} {anomaly.resolvedAt && `· ${t("notice.resolvedBy", { who: anomaly.resolvedBy ?? "?" })}`}
            </span>
            {anomaly.data && <TextBlock text={anomaly.data} className="mt-1" />}
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function NoticeView({ id }: { id: number }) {
  const trpc = useTRPC();
  const { data: story, error } = useQuery(trpc.notices.story.queryOptions({ id }));
  if (error) return <ErrorNote error={error} />;
  if (!story) return null;
  return (
    <div className="space-y-4">
      <Header story={story} />
      <Anomalies anomalies={story.anomalies} />
      <Items items={story.items} />
      <NoticeShipments story={story} />
      <NoticeTimeline story={story} />
    </div>
  );
}
