"use client";

import { useQuery, type QueryKey, type UseQueryOptions } from "@tanstack/react-query";
import { Fragment, useState, type ReactNode } from "react";
import { useI18n } from "@/lib/i18n/client";
import { ErrorNote, Table } from "@/components/ui";
import { CursorPager } from "@/components/cursor-pager";
import type { useCursorPages } from "@/components/use-cursor-pages";

/** A page of a keyset log, as the logs router answers it: the rows and the cursor after the last (null on the last page). */
type LogPage<Row, C> = { rows: Row[]; nextCursor: C | null };
/** A total counted up to the server's bound: `count` exact unless `more` (server/dashboard/keyset.ts). */
type BoundedCount = { count: number; more: boolean };

/** "共 1 234 条" or, past the server's bound, "超过 10 000 条". */
function CountNote({ count }: { count: BoundedCount | undefined }) {
  const { t, locale } = useI18n();
  if (!count) return null;
  const n = count.count.toLocaleString(locale);
  return <span className="text-sm text-slate-500">{count.more ? t("exchange.countMore", { n }) : t("exchange.count", { n })}</span>;
}

/**
 * One log of the exchange-log page (calls in, attempts out): a page of rows by
 * keyset with a pager, the filters' bounded total beside it, and a row that
 * opens, on click, to show the whole record (loaded then: the list carries
 * previews only).
 * @param list the page's query options (the caller's filters and `pages.cursor`), e.g. trpc.logs.inbound.queryOptions(…)
 * @param count the bounded total's query options for the same filters
 * @param head column headings; `cells` renders a row's cells in that order
 * @param opened the whole record of an opened row
 */
export function LogTable<Row extends { id: string | number }, C, TError extends { message: string }, TListKey extends QueryKey, TCountKey extends QueryKey>({
  list,
  count,
  pages,
  head,
  cells,
  opened,
}: {
  list: UseQueryOptions<LogPage<Row, C>, TError, LogPage<Row, C>, TListKey>;
  count: UseQueryOptions<BoundedCount, TError, BoundedCount, TCountKey>;
  pages: ReturnType<typeof useCursorPages<C>>;
  head: string[];
  cells: (row: Row) => ReactNode;
  opened: (row: Row) => ReactNode;
}) {
  const [open, setOpen] = useState<Row["id"] | null>(null);
  const { data, error } = useQuery(list);
  const total = useQuery(count);
  return (
    <>
      <ErrorNote error={error} />
      <Table head={head}>
        {data?.rows.map((row) => (
          <Fragment key={row.id}>
            <tr className="cursor-pointer hover:bg-slate-50" onClick={() => setOpen(open === row.id ? null : row.id)}>
              {cells(row)}
            </tr>
            {open === row.id && (
              <tr>
                <td colSpan={head.length} className="bg-slate-50 p-3">
                  {opened(row)}
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </Table>
      {data && (
        <div className="flex items-center gap-4">
          <CursorPager pages={pages} nextCursor={data.nextCursor} />
          <CountNote count={total.data} />
        </div>
      )}
    </>
  );
}
