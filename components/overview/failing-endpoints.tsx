"use client";

import Link from "next/link";
import { useI18n } from "@/lib/i18n/client";
import { Badge, Card, Table, Td } from "@/components/ui";
import { deliveriesUrlQuery } from "@/components/deliveries/url-filter";
import { EndpointName } from "@/components/words";
import { sideName, term } from "@/lib/i18n/glossary";

type Row = { direction: "in" | "out"; side: "pos" | "oms"; path: string; messages: number; failed: number; waiting: number; timedOut: number; rejected: number };

/** Where a ranking row leads: outbound to its deliveries (the larger of timed out / rejected, else retrying), inbound to the refused calls in the log. */
export function failingRowHref(row: Row): string {
  if (row.direction === "in") return `/exchanges?${new URLSearchParams({ direction: "in", side: row.side, path: row.path, outcome: "rejected" }).toString()}`;
  const queue = row.waiting === 0 ? "retrying" : row.rejected > row.timedOut ? "rejected" : "timed_out";
  return `/deliveries?${deliveriesUrlQuery({ queue, filter: { target: row.side, path: row.path }, byHead: false })}`;
}

/** "What is failing now": endpoints ranked by failing messages (not attempts) in the overview's range. */
export function FailingEndpoints({ rows }: { rows: Row[] }) {
  const { t, locale } = useI18n();
  const failing = rows.filter((row) => row.failed > 0);
  return (
    <Card title={t("overview.failing")}>
      {failing.length === 0 ? (
        <p className="text-sm text-emerald-700">{t("overview.noFailing")}</p>
      ) : (
        <Table head={[t("overview.direction"), t("delivery.path"), t("overview.messages"), t("overview.failingMessages"), t("overview.failureRate"), t("overview.waiting")]}>
          {failing.map((row) => (
            <tr key={`${row.direction} ${row.side} ${row.path}`} data-testid={`failing-${row.direction}-${row.path}`}>
              <Td>{row.direction === "in" ? `${sideName(row.side, locale)} → ${term("hub", locale)}` : `${term("hub", locale)} → ${sideName(row.side, locale)}`}</Td>
              <Td>
                <Link className="text-blue-700 hover:underline" href={failingRowHref(row)}>
                  <EndpointName path={row.path} />
                </Link>
              </Td>
              <Td>{row.messages}</Td>
              <Td>
                <Badge tone="red">{row.failed}</Badge>
              </Td>
              <Td>{((row.failed / row.messages) * 100).toFixed(1)}%</Td>
              <Td>{row.direction === "out" ? row.waiting : "—"}</Td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
