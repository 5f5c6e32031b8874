"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useI18n } from "@/lib/i18n/client";
import { startOfDay } from "@/lib/i18n/format";
import { Badge, Button, Card, ErrorNote, Field, inputClass, Pager, Table, Td, toneOf } from "@/components/ui";
import { pageTotals } from "@/components/page-totals";
import { COUNT_BOUND } from "@/lib/bounded-count";
import { firstSearch, type LateFilter, type NoticeSearch } from "@/components/search/search-input";
import { SearchResultCards } from "@/components/search/search-result-cards";
import { matchedText } from "@/components/search/search-row";
import { useTRPC } from "@/trpc/react";
import { ExportButton } from "@/components/export-button";
import { noticeStatuses } from "@/lib/states";

const KINDS = ["store_order", "ship_from_store"] as const;
type Sort = NonNullable<NoticeSearch["sort"]>;

export function SearchView({ initialTerm, late }: { initialTerm?: string; late?: LateFilter }) {
  const { t, time, timeZone } = useI18n();
  const trpc = useTRPC();
  const router = useRouter();
  const [form, setForm] = useState({
    term: initialTerm ?? "",
    status: late ? "pending" : "",
    kind: late ? "ship_from_store" : "",
    shopCode: late?.shop ?? "",
    from: "",
    to: "",
    anomalies: "",
  });
  const [query, setQuery] = useState<NoticeSearch>(firstSearch(initialTerm, late));
  // The overview's "late stores" link: accepted before this instant (no day field can say it); × drops it.
  const [lateBefore, setLateBefore] = useState(late?.before);
  const result = useQuery(trpc.notices.search.queryOptions(query, { placeholderData: keepPreviousData }));
  // Counted once per search, not per page (bounded on the server: "10,000+").
  const total = useQuery(trpc.notices.searchCount.queryOptions({ ...query, page: 0 }, { placeholderData: keepPreviousData }));

  // A link to /search?q=… while this page is open: take the new term, keep the filters.
  const [urlTerm, setUrlTerm] = useState(initialTerm);
  if (initialTerm !== urlTerm) {
    setUrlTerm(initialTerm);
    if ((initialTerm ?? "") !== form.term.trim()) {
      setForm({ ...form, term: initialTerm ?? "" });
      setQuery({ ...query, term: initialTerm?.trim() || undefined, page: 0 });
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setQuery({
      ...firstSearch(form.term),
      sort: query.sort,
      dir: query.dir,
      status: (form.status || undefined) as NoticeSearch["status"],
      kind: (form.kind || undefined) as NoticeSearch["kind"],
      shopCode: form.shopCode.trim() || undefined,
      createdFrom: startOfDay(form.from, timeZone),
      createdTo: startOfDay(form.to, timeZone, 1) ?? lateBefore,
      hasAnomalies: form.anomalies === "" ? undefined : form.anomalies === "yes",
    });
    router.replace(form.term.trim() ? `/search?q=${encodeURIComponent(form.term.trim())}` : "/search");
  }

  const sortBy = (sort: Sort) =>
    setQuery({ ...query, sort, dir: query.sort === sort && query.dir === "desc" ? "asc" : "desc", page: 0 });
  const header = (sort: Sort, label: string) => (
    <button type="button" className="hover:underline" onClick={() => sortBy(sort)}>
      {label} {query.sort === sort ? (query.dir === "asc" ? "▲" : "▼") : ""}
    </button>
  );
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });

  return (
    <div className="space-y-4">
      <Card>
        <form onSubmit={submit} className="space-y-3">
          <div className="flex gap-2">
            <input
              autoFocus
              name="q"
              aria-label={t("search.placeholder")}
              placeholder={t("search.placeholder")}
              value={form.term}
              onChange={set("term")}
              className={`${inputClass} flex-1 text-base`}
            />
            <Button tone="primary" type="submit">
              {t("search.submit")}
            </Button>
          </div>
          <p className="text-xs text-slate-500">{t("search.hint")}</p>
          <div className="flex flex-wrap gap-3">
            <Field label={t("notice.status")}>
              <select value={form.status} onChange={set("status")} className={inputClass}>
                <option value="">{t("common.all")}</option>
                {noticeStatuses.map((status) => (
                  <option key={status} value={status}>
                    {t(`status.${status}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t("notice.kind")}>
              <select value={form.kind} onChange={set("kind")} className={inputClass}>
                <option value="">{t("common.all")}</option>
                {KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`kind.${kind}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t("notice.shop")}>
              <input value={form.shopCode} onChange={set("shopCode")} className={`${inputClass} w-28`} />
            </Field>
            <Field label={t("search.from")}>
              <input type="date" value={form.from} onChange={set("from")} className={inputClass} />
            </Field>
            <Field label={t("search.to")}>
              <input type="date" value={form.to} onChange={set("to")} className={inputClass} />
            </Field>
            <Field label={t("search.anomalies")}>
              <select value={form.anomalies} onChange={set("anomalies")} className={inputClass}>
                <option value="">{t("common.all")}</option>
                <option value="yes">{t("search.withAnomalies")}</option>
                <option value="no">{t("search.withoutAnomalies")}</option>
              </select>
            </Field>
            {lateBefore && (
              <button
                type="button"
                data-testid="late-filter"
                onClick={() => {
                  setLateBefore(undefined);
                  setQuery({ ...query, createdTo: startOfDay(form.to, timeZone, 1), page: 0 });
                }}
                className="rounded-full bg-amber-100 px-2 py-1 text-xs text-amber-900 hover:bg-amber-200"
                title={t("common.close")}
              >
                {t("search.lateBefore", { at: time(lateBefore) })} ×
              </button>
            )}
          </div>
        </form>
      </Card>

      <Card actions={result.data && result.data.rows.length > 0 ? <ExportButton kind="search" input={query} /> : undefined}>
        <ErrorNote error={result.error} />
        {result.data && result.data.rows.length === 0 && <p className="py-6 text-center text-slate-500">{t("search.none")}</p>}
        {result.data && result.data.rows.length > 0 && <SearchResultCards rows={result.data.rows} />}
        {result.data && result.data.rows.length > 0 && (
          <div className="hidden sm:block">
            <Table
              head={[
                header("dispatchNo", t("notice.dispatchNo")),
                t("notice.kind"),
                header("status", t("notice.status")),
                t("notice.shop"),
                t("notice.purchaseCode"),
                t("notice.receiver"),
                t("notice.phone"),
                header("createdAt", t("notice.createdAt")),
                header("updatedAt", t("notice.updatedAt")),
                t("search.flags"),
              ]}
            >
              {result.data.rows.map((row) => (
                <tr key={row.id} className="hover:bg-slate-50">
                  <Td>
                    <Link className="font-mono text-blue-700 hover:underline" href={`/notices/${row.id}`}>
                      {row.dispatchNo}
                    </Link>
                    {row.matches.length > 0 && (
                      <p className="text-xs text-slate-500" data-testid="search-matched">
                        {matchedText(row, t)}
                      </p>
                    )}
                  </Td>
                  <Td>{t(`kind.${row.kind}`)}</Td>
                  <Td>
                    <Badge tone={toneOf(row.status)}>{t(`status.${row.status}`)}</Badge>
                  </Td>
                  <Td className="font-mono">{row.shopCode}</Td>
                  <Td className="font-mono">{row.purchaseCode}</Td>
                  <Td>{row.receiver}</Td>
                  <Td className="font-mono">{row.phone}</Td>
                  <Td className="whitespace-nowrap">{time(row.createdAt)}</Td>
                  <Td className="whitespace-nowrap">{time(row.updatedAt)}</Td>
                  <Td className="space-x-1">
                    {row.openAnomalies > 0 && <Badge tone="amber">{t("search.anomalyCount", { n: row.openAnomalies })}</Badge>}
                    {row.problemDeliveries > 0 && <Badge tone="red">{t("search.problemCount", { n: row.problemDeliveries })}</Badge>}
                    {row.pendingDeliveries > 0 && <Badge tone="blue">{t("search.pendingCount", { n: row.pendingDeliveries })}</Badge>}
                  </Td>
                </tr>
              ))}
            </Table>
          </div>
        )}
        {result.data && (
          <Pager
            page={result.data.page}
            hasMore={result.data.hasMore}
            onPage={(page) => setQuery({ ...query, page })}
            label={(page) => t("common.page", { n: page })}
            summary={total.data && pageTotals(t, total.data.more ? COUNT_BOUND + 1 : total.data.count, result.data.pageSize)}
          />
        )}
      </Card>
    </div>
  );
}
