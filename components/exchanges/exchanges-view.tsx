"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Badge, Card, ErrorNote, Field, inputClass, Td, TextBlock, toneOf } from "@/components/ui";
import { LogTable } from "@/components/exchanges/log-table";
import { useCursorPages } from "@/components/use-cursor-pages";
import { useTRPC, type RouterInputs, type RouterOutputs } from "@/trpc/react";
import { NormalisationNote, NormalisedMark } from "@/components/exchanges/normalisation-note";
import { AnswerText, EndpointName, FailureText, SideName } from "@/components/words";
import { sideName, tokenLabelText } from "@/lib/i18n/glossary";
import { EndpointFilter } from "@/components/endpoint-filter";
import { attemptOutcomes, exchangeOutcomes } from "@/lib/states";

type Filters = { side: string; path: string; outcome: string; dispatchNo: string };
type Pages<C> = ReturnType<typeof useCursorPages<C>>;
type InboundCursor = RouterInputs["logs"]["inbound"]["cursor"];
type OutboundCursor = RouterInputs["logs"]["outbound"]["cursor"];
type InboundRow = RouterOutputs["logs"]["inbound"]["rows"][number];
type OutboundRow = RouterOutputs["logs"]["outbound"]["rows"][number];

/** The whole call, loaded when a person opens its row (the list carries the first characters only). */
function InboundCall({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const { data, error } = useQuery(trpc.logs.inboundCall.queryOptions({ id }));
  if (error) return <ErrorNote error={error} />;
  if (!data) return <p className="text-sm text-slate-500">{t("common.loading")}</p>;
  return (
    <div className="grid gap-3 md:grid-cols-2">
      <div>
        <p className="text-xs text-slate-500">
          {t("timeline.request")} {data.requestTruncated && `(${t("timeline.truncated")})`} · {tokenLabelText(data.tokenLabel, locale)}
        </p>
        <NormalisationNote changes={data.normalisation} />
        <TextBlock text={data.requestBody} />
        <p className="mt-2 text-xs text-slate-500">{t("exchange.headers")}</p>
        <TextBlock text={data.headers} />
      </div>
      <div>
        <p className="text-xs text-slate-500">{t("timeline.answer")}</p>
        <TextBlock text={data.responseBody} />
      </div>
    </div>
  );
}

function InboundLog({ input, pages }: { input: RouterInputs["logs"]["inboundCount"]; pages: Pages<NonNullable<InboundCursor>> }) {
  const { t, time } = useI18n();
  const trpc = useTRPC();
  return (
    <LogTable
      list={trpc.logs.inbound.queryOptions({ ...input, cursor: pages.cursor }, { placeholderData: keepPreviousData })}
      count={trpc.logs.inboundCount.queryOptions(input, { placeholderData: keepPreviousData })}
      pages={pages}
      head={[t("notice.time"), t("exchange.side"), t("delivery.path"), t("notice.dispatchNo"), t("exchange.outcome"), "HTTP", "ms", t("timeline.answer")]}
      cells={(row: InboundRow) => (
        <>
          <Td className="whitespace-nowrap">{time(row.receivedAt)}</Td>
          <Td>
            <SideName side={row.side} />
          </Td>
          <Td>
            <EndpointName path={row.path} />
          </Td>
          <Td className="font-mono">{row.dispatchNo ?? row.claimedDispatchNo}</Td>
          <Td>
            <Badge tone={toneOf(row.outcome)}>{t(`exchangeOutcome.${row.outcome}`)}</Badge> <NormalisedMark changes={row.normalisation} />
          </Td>
          <Td>{row.responseStatus}</Td>
          <Td>{row.durationMs}</Td>
          <Td className="max-w-sm truncate text-xs">
            <AnswerText body={row.responsePreview} />
          </Td>
        </>
      )}
      opened={(row) => <InboundCall id={row.id} />}
    />
  );
}

/** The whole attempt — the body sent and the answer — loaded when a person opens its row. */
function OutboundAttempt({ id }: { id: number }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const { data, error } = useQuery(trpc.logs.outboundAttempt.queryOptions({ id }));
  if (error) return <ErrorNote error={error} />;
  if (!data) return <p className="text-sm text-slate-500">{t("common.loading")}</p>;
  return (
    <div className="grid gap-3 md:grid-cols-2">
      <div>
        <p className="text-xs text-slate-500">
          {t("exchange.sent")} · {data.url} · v{data.payloadVersion}
          {data.payloadVersion !== data.currentVersion && ` (${t("exchange.editedSince", { v: data.currentVersion })})`}
        </p>
        <TextBlock text={data.payload} />
      </div>
      <div>
        <p className="text-xs text-slate-500">{t("timeline.answer")}</p>
        <TextBlock text={data.responseBody ?? data.error} />
      </div>
    </div>
  );
}

function OutboundLog({ input, pages }: { input: RouterInputs["logs"]["outboundCount"]; pages: Pages<NonNullable<OutboundCursor>> }) {
  const { t, time } = useI18n();
  const trpc = useTRPC();
  return (
    <LogTable
      list={trpc.logs.outbound.queryOptions({ ...input, cursor: pages.cursor }, { placeholderData: keepPreviousData })}
      count={trpc.logs.outboundCount.queryOptions(input, { placeholderData: keepPreviousData })}
      pages={pages}
      head={[t("notice.time"), t("delivery.target"), t("delivery.path"), t("notice.dispatchNo"), t("exchange.outcome"), "HTTP", "ms", t("exchange.error")]}
      cells={(row: OutboundRow) => (
        <>
          <Td className="whitespace-nowrap">{time(row.startedAt)}</Td>
          <Td>
            <SideName side={row.target} />
          </Td>
          <Td>
            <EndpointName path={row.path} />
          </Td>
          <Td className="font-mono">{row.dispatchNo}</Td>
          <Td>
            <Badge tone={toneOf(row.outcome)}>{t(`outcome.${row.outcome}`)}</Badge>
          </Td>
          <Td>{row.httpStatus ?? "—"}</Td>
          <Td>{row.durationMs}</Td>
          <Td className="max-w-sm text-xs">{row.outcome === "failed" && <FailureText error={row.error} httpStatus={row.httpStatus} />}</Td>
        </>
      )}
      opened={(row) => <OutboundAttempt id={row.id} />}
    />
  );
}

export function ExchangesView() {
  const { t, locale } = useI18n();
  // A link (from the overview's ranking, or shared in a chat) opens the log already filtered.
  const params = useSearchParams();
  const [direction, setDirection] = useState<"in" | "out">(params.get("direction") === "out" ? "out" : "in");
  const [filters, setFilters] = useState<Filters>(() => ({
    side: params.get("side") === "pos" || params.get("side") === "oms" ? params.get("side")! : "",
    path: params.get("path") ?? "",
    outcome: ([...(params.get("direction") === "out" ? attemptOutcomes : exchangeOutcomes)] as string[]).includes(params.get("outcome") ?? "") ? params.get("outcome")! : "",
    dispatchNo: params.get("dispatchNo") ?? "",
  }));
  const inboundPages = useCursorPages<NonNullable<InboundCursor>>();
  const outboundPages = useCursorPages<NonNullable<OutboundCursor>>();
  const firstPages = () => {
    inboundPages.reset();
    outboundPages.reset();
  };
  const setValue = (key: keyof Filters, value: string) => {
    setFilters({ ...filters, [key]: value });
    firstPages();
  };
  const set = (key: keyof Filters) => (event: { target: { value: string } }) => setValue(key, event.target.value);
  const outcomes = direction === "in" ? exchangeOutcomes : attemptOutcomes;
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
                firstPages();
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
        <EndpointFilter value={filters.path} onChange={(path) => setValue("path", path)} />
        <Field label={t("exchange.outcome")}>
          <select value={filters.outcome} onChange={set("outcome")} className={inputClass}>
            <option value="">{t("common.all")}</option>
            {outcomes.map((outcome) => (
              <option key={outcome} value={outcome}>
                {direction === "in" ? t(`exchangeOutcome.${outcome as (typeof exchangeOutcomes)[number]}`) : t(`outcome.${outcome as (typeof attemptOutcomes)[number]}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("notice.dispatchNo")}>
          <input value={filters.dispatchNo} onChange={set("dispatchNo")} className={`${inputClass} w-40`} />
        </Field>
      </div>
      {direction === "in" ? (
        <InboundLog
          input={{
            side: (filters.side || undefined) as "pos" | "oms" | undefined,
            path: filters.path || undefined,
            outcome: (filters.outcome || undefined) as (typeof exchangeOutcomes)[number] | undefined,
            dispatchNo: filters.dispatchNo.trim() || undefined,
          }}
          pages={inboundPages}
        />
      ) : (
        <OutboundLog
          input={{
            target: (filters.side || undefined) as "pos" | "oms" | undefined,
            path: filters.path || undefined,
            outcome: (filters.outcome || undefined) as (typeof attemptOutcomes)[number] | undefined,
            dispatchNo: filters.dispatchNo.trim() || undefined,
          }}
          pages={outboundPages}
        />
      )}
    </Card>
  );
}
