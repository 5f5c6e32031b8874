"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Fragment, useState } from "react";
import { Age } from "@/components/age";
import { useI18n } from "@/lib/i18n/client";
import { Badge, Card, ErrorNote, Field, inputClass, Pager, Table, Td, toneOf } from "@/components/ui";
import { DeliveryActions, type Selection } from "@/components/deliveries/delivery-actions";
import { DeliveryDetail } from "@/components/deliveries/delivery-detail";
import { useMe } from "@/components/use-me";
import { formatBoundedCount } from "@/lib/bounded-count";
import { deliveryQueues } from "@/lib/delivery-queues";
import { pageTotals } from "@/components/page-totals";
import { deliveriesUrlQuery, readDeliveriesUrl, type DeliveriesViewState, type DeliveryFilter } from "@/components/deliveries/url-filter";
import { BlockingHeads } from "@/components/deliveries/blocking-heads";
import { EndpointName, FailureText, QueueBadge, SideName } from "@/components/words";
import { sideName } from "@/lib/i18n/glossary";
import { EndpointFilter } from "@/components/endpoint-filter";
import { NoticeLink } from "@/components/notice-link";
import { useTRPC } from "@/trpc/react";
import { ExportButton } from "@/components/export-button";
import { closedDeliveryStates } from "@/lib/states";

const AGES = [0, 5, 60, 24 * 60] as const;


/** Why a delivery is where it is, in one line. */
function Reason({ row }: { row: { blockedBy: number | null; answerMsg: string | null; lastError: string | null; lastStatus: number | null; state: string } }) {
  const { t } = useI18n();
  if (row.blockedBy !== null) return <span className="text-amber-800">{t("delivery.blockedBy", { id: row.blockedBy })}</span>;
  if (row.state === "delivered") return null;
  return <FailureText error={row.lastError} httpStatus={row.lastStatus} msg={row.answerMsg} />;
}

export function DeliveriesView() {
  const { t, time, locale } = useI18n();
  const trpc = useTRPC();
  const { canAct } = useMe();
  const router = useRouter();
  const pathname = usePathname();
  // The tab, filters and page live in the URL, so a view can be shared in a chat message.
  const view = readDeliveriesUrl(useSearchParams());
  const { queue, filter, before, byHead } = view;
  // The pages seen before this one (their `before`), for "previous": keyset pages only know the next.
  const [earlier, setEarlier] = useState<(number | undefined)[]>([]);
  const [open, setOpen] = useState<number | null>(null);
  const [checked, setChecked] = useState<number[]>([]);
  const navigate = (next: Partial<DeliveriesViewState>) => {
    router.replace(`${pathname}?${deliveriesUrlQuery({ ...view, before: undefined, ...next })}`, { scroll: false });
    setChecked([]);
    if (!("before" in next)) setEarlier([]);
  };
  const setPage = (page: number) => {
    if (page > earlier.length && list.data?.nextCursor) {
      setEarlier([...earlier, before]);
      navigate({ before: list.data.nextCursor });
    } else if (page < earlier.length) {
      setEarlier(earlier.slice(0, -1));
      navigate({ before: earlier.at(-1) });
    }
  };
  const fullFilter = { ...filter, queue };
  const counts = useQuery(trpc.deliveries.queueCounts.queryOptions(filter));
  const list = useQuery(trpc.deliveries.list.queryOptions({ filter: fullFilter, before }, { placeholderData: keepPreviousData }));

  const change = (next: Partial<DeliveryFilter>) => navigate({ filter: { ...filter, ...next } });
  const scopes = (["problemId", "blockedBy", "headOf", "noticeId"] as const).filter((key) => filter[key] !== undefined);
  const toggle = (id: number) => setChecked(checked.includes(id) ? checked.filter((other) => other !== id) : [...checked, id]);
  const selection: Selection = checked.length > 0 ? { ids: checked } : { filter: fullFilter };
  const actionable = !(closedDeliveryStates as readonly string[]).includes(queue);

  return (
    <div className="space-y-4">
      <nav role="tablist" className="flex flex-wrap gap-1">
        {deliveryQueues.map((name) => (
          <button
            key={name}
            role="tab"
            aria-selected={queue === name}
            onClick={() => navigate({ queue: name, byHead: false })}
            className={`rounded-t border-b-2 px-3 py-1.5 text-sm ${queue === name ? "border-blue-700 font-semibold" : "border-transparent text-slate-600"}`}
          >
            {t(`queue.${name}`)} <Badge tone={toneOf(name)}>{counts.data ? formatBoundedCount(counts.data[name]) : "…"}</Badge>
          </button>
        ))}
      </nav>

      <Card>
        <div className="flex flex-wrap items-end gap-3">
          <Field label={t("delivery.target")}>
            <select value={filter.target ?? ""} onChange={(event) => change({ target: (event.target.value || undefined) as DeliveryFilter["target"] })} className={inputClass}>
              <option value="">{t("common.all")}</option>
              <option value="pos">{sideName("pos", locale)}</option>
              <option value="oms">{sideName("oms", locale)}</option>
            </select>
          </Field>
          <EndpointFilter value={filter.path ?? ""} onChange={(path) => change({ path: path || undefined })} />
          <Field label={t("notice.shop")}>
            <input defaultValue={filter.shopCode ?? ""} onBlur={(event) => change({ shopCode: event.target.value.trim() || undefined })} className={`${inputClass} w-28`} />
          </Field>
          <Field label={t("delivery.age")}>
            <select value={filter.olderThanMinutes ?? 0} onChange={(event) => change({ olderThanMinutes: Number(event.target.value) || undefined })} className={inputClass}>
              {AGES.map((minutes) => (
                <option key={minutes} value={minutes}>
                  {minutes === 0 ? t("common.all") : t("delivery.olderThan", { n: minutes >= 60 ? `${minutes / 60} h` : `${minutes} min` })}
                </option>
              ))}
            </select>
          </Field>
          {queue === "blocked" && (
            <label className="flex items-center gap-1 text-sm">
              <input type="checkbox" checked={byHead} onChange={(event) => navigate({ byHead: event.target.checked })} />
              {t("delivery.groupByHead")}
            </label>
          )}
          {scopes.map((key) => (
            <button
              key={key}
              onClick={() => change({ [key]: undefined })}
              className="rounded-full bg-slate-100 px-2 py-1 text-xs text-slate-700 hover:bg-slate-200"
              title={t("common.close")}
            >
              {key === "problemId" ? t("delivery.problem", { id: filter[key]! }) : `${key} #${filter[key]}`} ×
            </button>
          ))}
          <span className="ml-auto">
            <ExportButton kind="deliveries" input={fullFilter} />
          </span>
        </div>
        {canAct && actionable && (
          <div className="mt-3 border-t border-slate-100 pt-3">
            <p className="mb-2 text-xs text-slate-500">{checked.length > 0 ? t("delivery.actOnChecked", { n: checked.length }) : t("delivery.actOnFilter")}</p>
            <DeliveryActions key={JSON.stringify(selection)} selection={selection} />
          </div>
        )}
      </Card>

      {queue === "blocked" && byHead && <BlockingHeads limit={100} filter={{ target: filter.target, path: filter.path }} />}

      {!(queue === "blocked" && byHead) && <Card>
        <ErrorNote error={list.error} />
        {list.data?.rows.length === 0 && <p className="py-6 text-center text-slate-500">{t("delivery.none")}</p>}
        {list.data && list.data.rows.length > 0 && (
          <Table
            head={[
              "",
              "#",
              t("notice.dispatchNo"),
              t("delivery.path"),
              t("delivery.target"),
              t("delivery.state"),
              t("delivery.attemptsHead"),
              t("delivery.nextAttempt"),
              t("delivery.reason"),
              t("delivery.created"),
            ]}
          >
            {list.data.rows.map((row) => (
              <Fragment key={row.id}>
                <tr className="cursor-pointer hover:bg-slate-50" onClick={() => setOpen(open === row.id ? null : row.id)}>
                  <Td>
                    {canAct && actionable && (
                      <input type="checkbox" aria-label={`#${row.id}`} checked={checked.includes(row.id)} onClick={(event) => event.stopPropagation()} onChange={() => toggle(row.id)} />
                    )}
                  </Td>
                  <Td className="font-mono">{row.id}</Td>
                  <Td>
                    <NoticeLink row={row} />
                  </Td>
                  <Td>
                    <EndpointName path={row.path} />
                  </Td>
                  <Td>
                    <SideName side={row.target} />
                  </Td>
                  <Td>
                    <QueueBadge delivery={row} />
                    {row.blocks > 0 && (
                      <Link className="ml-1" href={`/deliveries?${deliveriesUrlQuery({ queue: "blocked", filter: { blockedBy: row.id }, byHead: false })}`} onClick={(event) => event.stopPropagation()}>
                        <Badge tone="amber">{t("delivery.blocks", { n: row.blocks })}</Badge>
                      </Link>
                    )}
                    {row.problemId !== null && row.state !== "delivered" && (
                      <Link className="ml-1 text-xs text-blue-700 hover:underline" href={`/problems/${row.problemId}`} onClick={(event) => event.stopPropagation()}>
                        {t("delivery.problem", { id: row.problemId })}
                      </Link>
                    )}
                  </Td>
                  <Td>{row.attempts}</Td>
                  <Td className="whitespace-nowrap">{row.state === "pending" ? time(row.nextAttemptAt) : "—"}</Td>
                  <Td className="max-w-md text-xs">
                    <Reason row={row} />
                  </Td>
                  <Td className="whitespace-nowrap" >{time(row.createdAt)} <Age at={row.createdAt} /></Td>
                </tr>
                {open === row.id && (
                  <tr>
                    <td colSpan={10} className="bg-slate-50 p-3">
                      <DeliveryDetail id={row.id} blocks={row.blocks} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </Table>
        )}
        {list.data && (
          <Pager
            page={earlier.length}
            hasMore={list.data.nextCursor !== null}
            onPage={setPage}
            label={(n) => t("common.page", { n })}
            summary={counts.data && pageTotals(t, counts.data[queue], list.data.pageSize)}
          />
        )}
      </Card>}
    </div>
  );
}
