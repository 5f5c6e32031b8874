"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { Fragment, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Badge, Card, ErrorNote, Field, inputClass, Pager, Table, Td, TextBlock, toneOf } from "@/components/ui";
import { useTRPC } from "@/trpc/react";
import { NormalisationNote, NormalisedMark } from "@/components/exchanges/normalisation-note";
import { AnswerText, EndpointName, FailureText, SideName } from "@/components/words";
import { endpointName, sideName, tokenLabelText } from "@/lib/i18n/glossary";

const INBOUND_OUTCOMES = ["accepted", "rejected", "invalid", "unauthorized", "duplicate"] as const;
const OUTBOUND_OUTCOMES = ["delivered", "rejected", "failed"] as const;
type Filters = { side: string; path: string; outcome: string; dispatchNo: string };

function InboundLog({ filters, page, onPage }: { filters: Filters; page: number; onPage: (page: number) => void }) {
  const { t, time, locale } = useI18n();
  const trpc = useTRPC();
  const [open, setOpen] = useState<string | null>(null);
  const input = {
    side: (filters.side || undefined) as "pos" | "oms" | undefined,
    path: filters.path || undefined,
    outcome: (filters.outcome || undefined) as (typeof INBOUND_OUTCOMES)[number] | undefined,
    dispatchNo: filters.dispatchNo.trim() || undefined,
    page,
  };
  const { data, error } = useQuery(trpc.logs.inbound.queryOptions(input, { placeholderData: keepPreviousData }));
  return (
    <>
      <ErrorNote error={error} />
      <Table head={[t("notice.time"), t("exchange.side"), t("delivery.path"), t("notice.dispatchNo"), t("exchange.outcome"), "HTTP", "ms", t("timeline.answer")]}>
        {data?.rows.map((row) => (
          <Fragment key={row.id}>
            <tr className="cursor-pointer hover:bg-slate-50" onClick={() => setOpen(open === row.id ? null : row.id)}>
              <Td className="whitespace-nowrap">{time(row.receivedAt)}</Td>
              <Td>
                <SideName side={row.side} />
              </Td>
              <Td>
                <EndpointName path={row.path} />
              </Td>
              <Td className="font-mono">{row.dispatchNo}</Td>
              <Td>
                <Badge tone={toneOf(row.outcome)}>{t(`exchangeOutcome.${row.outcome}`)}</Badge> <NormalisedMark changes={row.normalisation} />
              </Td>
              <Td>{row.responseStatus}</Td>
              <Td>{row.durationMs}</Td>
              <Td className="max-w-sm truncate text-xs">
                <AnswerText body={row.responseBody} />
              </Td>
            </tr>
            {open === row.id && (
              <tr>
                <td colSpan={8} className="bg-slate-50 p-3">
                  <div className="grid gap-3 md:grid-cols-2">
                    <div>
                      <p className="text-xs text-slate-500">
                        {t("timeline.request")} {row.requestTruncated && `(${t("timeline.truncated")})`} · {tokenLabelText(row.tokenLabel, locale)}
                      </p>
                      <NormalisationNote changes={row.normalisation} />
                      <TextBlock text={row.requestBody} />
                      <p className="mt-2 text-xs text-slate-500">{t("exchange.headers")}</p>
                      <TextBlock text={row.headers} />
                    </div>
                    <div>
                      <p className="text-xs text-slate-500">{t("timeline.answer")}</p>
                      <TextBlock text={row.responseBody} />
                    </div>
                  </div>
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </Table>
      {data && <Pager page={page} hasMore={data.hasMore} onPage={onPage} label={(n) => t("common.page", { n })} />}
    </>
  );
}

function OutboundLog({ filters, page, onPage }: { filters: Filters; page: number; onPage: (page: number) => void }) {
  const { t, time } = useI18n();
  const trpc = useTRPC();
  const [open, setOpen] = useState<number | null>(null);
  const input = {
    target: (filters.side || undefined) as "pos" | "oms" | undefined,
    path: filters.path || undefined,
    outcome: (filters.outcome || undefined) as (typeof OUTBOUND_OUTCOMES)[number] | undefined,
    dispatchNo: filters.dispatchNo.trim() || undefined,
    page,
  };
  const { data, error } = useQuery(trpc.logs.outbound.queryOptions(input, { placeholderData: keepPreviousData }));
  return (
    <>
      <ErrorNote error={error} />
      <Table head={[t("notice.time"), t("delivery.target"), t("delivery.path"), t("notice.dispatchNo"), t("exchange.outcome"), "HTTP", "ms", t("exchange.error")]}>
        {data?.rows.map(({ attempt, ...row }) => (
          <Fragment key={attempt.id}>
            <tr className="cursor-pointer hover:bg-slate-50" onClick={() => setOpen(open === attempt.id ? null : attempt.id)}>
              <Td className="whitespace-nowrap">{time(attempt.startedAt)}</Td>
              <Td>
                <SideName side={row.target} />
              </Td>
              <Td>
                <EndpointName path={row.path} />
              </Td>
              <Td className="font-mono">{row.dispatchNo}</Td>
              <Td>
                <Badge tone={toneOf(attempt.outcome)}>{t(`outcome.${attempt.outcome}`)}</Badge>
              </Td>
              <Td>{attempt.httpStatus ?? "—"}</Td>
              <Td>{attempt.durationMs}</Td>
              <Td className="max-w-sm text-xs">
                {attempt.outcome === "failed" && <FailureText error={attempt.error} httpStatus={attempt.httpStatus} />}
              </Td>
            </tr>
            {open === attempt.id && (
              <tr>
                <td colSpan={8} className="bg-slate-50 p-3">
                  <div className="grid gap-3 md:grid-cols-2">
                    <div>
                      <p className="text-xs text-slate-500">
                        {t("exchange.sent")} · {attempt.url} · v{attempt.payloadVersion}
                        {attempt.payloadVersion !== row.currentVersion && ` (${t("exchange.editedSince", { v: row.currentVersion })})`}
                      </p>
                      <TextBlock text={row.payload} />
                    </div>
                    <div>
                      <p className="text-xs text-slate-500">{t("timeline.answer")}</p>
                      <TextBlock text={attempt.responseBody ?? attempt.error} />
                    </div>
                  </div>
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </Table>
      {data && <Pager page={page} hasMore={data.hasMore} onPage={onPage} label={(n) => t("common.page", { n })} />}
    </>
  );
}

export function ExchangesView() {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  // A link (from the overview's ranking, or shared in a chat) opens the log already filtered.
  const params = useSearchParams();
  const [direction, setDirection] = useState<"in" | "out">(params.get("direction") === "out" ? "out" : "in");
  const [filters, setFilters] = useState<Filters>(() => ({
    side: params.get("side") === "pos" || params.get("side") === "oms" ? params.get("side")! : "",
    path: params.get("path") ?? "",
    outcome: ([...(params.get("direction") === "out" ? OUTBOUND_OUTCOMES : INBOUND_OUTCOMES)] as string[]).includes(params.get("outcome") ?? "") ? params.get("outcome")! : "",
    dispatchNo: params.get("dispatchNo") ?? "",
  }));
  const [page, setPage] = useState(0);
  const endpoints = useQuery(trpc.logs.endpoints.queryOptions());
  const set = (key: keyof Filters) => (event: { target: { value: string } }) => {
    setFilters({ ...filters, [key]: event.target.value });
    setPage(0);
  };
  const outcomes = direction === "in" ? INBOUND_OUTCOMES : OUTBOUND_OUTCOMES;
  return (
    <Card>
      <div className="mb-3 flex flex-wrap items-end gap-3">
        <div role="tablist" className="flex gap-1">
          {(["in", "out"] as const).map((name) => (
            <button
              key={name}
              role="tab"
              aria-selected={direction === name}
              onClick={() => {
                setDirection(name);
                setFilters({ ...filters, outcome: "" });
                setPage(0);
              }}
              className={`rounded px-3 py-1.5 text-sm ${direction === name ? "bg-blue-700 text-white" : "bg-slate-100"}`}
            >
              {t(name === "in" ? "overview.inbound" : "overview.outbound")}
            </button>
          ))}
        </div>
        <Field label={direction === "in" ? t("exchange.side") : t("delivery.target")}>
          <select value={filters.side} onChange={set("side")} className={inputClass}>
            <option value="">{t("common.all")}</option>
            <option value="pos">{sideName("pos", locale)}</option>
            <option value="oms">{sideName("oms", locale)}</option>
          </select>
        </Field>
        <Field label={t("delivery.path")}>
          <select value={filters.path} onChange={set("path")} className={inputClass}>
            <option value="">{t("common.all")}</option>
            {endpoints.data?.map((endpoint) => (
              <option key={endpoint.path} value={endpoint.path}>
                {endpointName(endpoint.path, locale)} · {endpoint.path}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("exchange.outcome")}>
          <select value={filters.outcome} onChange={set("outcome")} className={inputClass}>
            <option value="">{t("common.all")}</option>
            {outcomes.map((outcome) => (
              <option key={outcome} value={outcome}>
                {direction === "in" ? t(`exchangeOutcome.${outcome as (typeof INBOUND_OUTCOMES)[number]}`) : t(`outcome.${outcome as (typeof OUTBOUND_OUTCOMES)[number]}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("notice.dispatchNo")}>
          <input value={filters.dispatchNo} onChange={set("dispatchNo")} className={`${inputClass} w-40`} />
        </Field>
      </div>
      {direction === "in" ? <InboundLog filters={filters} page={page} onPage={setPage} /> : <OutboundLog filters={filters} page={page} onPage={setPage} />}
    </Card>
  );
}
