"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Age } from "@/components/age";
import { useI18n } from "@/lib/i18n/client";
import { Badge, Card, ErrorNote, Table, Td } from "@/components/ui";
import { BlockingHeads } from "@/components/deliveries/blocking-heads";
import { FailureKindLabel, ProblemStateBadge } from "@/components/problems/problem-labels";
import { CursorPager } from "@/components/cursor-pager";
import { useCursorPages } from "@/components/use-cursor-pages";
import { problemListViews } from "@/lib/problem-list-views";
import { useTRPC } from "@/trpc/react";
import { EndpointName, FailureText, SideName } from "@/components/words";

type View = (typeof problemListViews)[number];

/** The ops landing page: problems by state (the view is in the URL), then the heads that block most. */
export function ProblemsView() {
  const { t, time } = useI18n();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const view = (problemListViews as readonly string[]).includes(params.get("view") ?? "") ? (params.get("view") as View) : "active";
  const pages = useCursorPages<{ at: Date; id: number }>();
  const counts = useQuery(trpc.problems.counts.queryOptions());
  const list = useQuery(trpc.problems.list.queryOptions({ view, cursor: pages.cursor }, { placeholderData: keepPreviousData }));
  const go = (next: { view: View }) => {
    pages.reset();
    router.replace(`${pathname}?${new URLSearchParams({ view: next.view }).toString()}`);
  };

  return (
    <div className="space-y-4">
      <nav role="tablist" className="flex flex-wrap gap-1">
        {problemListViews.map((name) => (
          <button
            key={name}
            role="tab"
            aria-selected={view === name}
            onClick={() => go({ view: name })}
            className={`rounded-t border-b-2 px-3 py-1.5 text-sm ${view === name ? "border-blue-700 font-semibold" : "border-transparent text-slate-600"}`}
          >
            {name === "active" ? t("problems.view.active") : name === "all" ? t("common.all") : t(`problemState.${name}`)}{" "}
            <Badge tone={name === "active" && (counts.data?.active ?? 0) > 0 ? "red" : "gray"}>{counts.data?.[name] ?? "…"}</Badge>
          </button>
        ))}
      </nav>

      <Card>
        <ErrorNote error={list.error} />
        {list.data?.rows.length === 0 && <p className="py-6 text-center text-slate-500">{t("problems.none")}</p>}
        {list.data && list.data.rows.length > 0 && (
          <Table
            head={[
              "#",
              t("problems.state"),
              t("delivery.target"),
              t("problems.kind"),
              t("problems.openCount"),
              t("problems.totalCount"),
              t("problems.firstSeen"),
              t("problems.lastSeen"),
              t("problems.example"),
            ]}
          >
            {list.data.rows.map((problem) => (
              <tr key={problem.id} data-testid={`problem-${problem.id}`}>
                <Td>
                  <Link className="font-mono text-blue-700 hover:underline" href={`/problems/${problem.id}`}>
                    {t("problems.title", { id: problem.id })}
                  </Link>
                </Td>
                <Td>
                  <ProblemStateBadge state={problem.state} />
                </Td>
                <Td className="whitespace-nowrap">
                  <SideName side={problem.side} /> · <EndpointName path={problem.path} />
                </Td>
                <Td>
                  <FailureKindLabel kind={problem.failureKind} msg={problem.msg} />
                </Td>
                <Td className="font-semibold">{problem.openCount}</Td>
                <Td>{problem.totalCount}</Td>
                <Td className="whitespace-nowrap">{time(problem.firstSeenAt)}</Td>
                <Td className="whitespace-nowrap">
                  {time(problem.lastSeenAt)} <Age at={problem.lastSeenAt} />
                </Td>
                <Td className="max-w-xs text-xs">
                  {problem.exampleDeliveryId ? `#${problem.exampleDeliveryId} ` : ""}
                  <FailureText error={problem.exampleError} msg={problem.failureKind === "rejected" ? problem.msg : null} />
                </Td>
              </tr>
            ))}
          </Table>
        )}
        {list.data && <CursorPager pages={pages} nextCursor={list.data.nextCursor} />}
      </Card>

      <BlockingHeads />
    </div>
  );
}
