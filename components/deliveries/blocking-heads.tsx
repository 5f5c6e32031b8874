"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { NoticeLink } from "@/components/notice-link";
import { useState } from "react";
import { Age } from "@/components/age";
import { useI18n } from "@/lib/i18n/client";
import { Badge, Button, Card, ErrorNote, Table, Td } from "@/components/ui";
import { DeliveryActions } from "@/components/deliveries/delivery-actions";
import { useMe } from "@/components/use-me";
import { useTRPC } from "@/trpc/react";
import { EndpointName, FailureText, QueueBadge, SideName } from "@/components/words";

/**
 * The heads that block most (SPEC §8 head-of-line): each open head, how many
 * deliveries it holds back, a link to them, and — for operators — the manual
 * actions on the head together with what it blocks.
 */
export function BlockingHeads({ limit = 10, filter = {} }: { limit?: number; filter?: { target?: "pos" | "oms"; path?: string } }) {
  const { t, time } = useI18n();
  const trpc = useTRPC();
  const { canAct } = useMe();
  const [acting, setActing] = useState<number | null>(null);
  const heads = useQuery(trpc.problems.blockingHeads.queryOptions({ limit, ...filter }));

  return (
    <Card title={t("problems.heads")}>
      <ErrorNote error={heads.error} />
      {heads.data?.length === 0 && <p className="text-sm text-emerald-700">{t("problems.noHeads")}</p>}
      {heads.data && heads.data.length > 0 && (
        <Table head={[t("problems.head"), t("notice.dispatchNo"), t("delivery.path"), t("delivery.state"), t("delivery.reason"), t("delivery.created"), ""]}>
          {heads.data.map((head) => (
            <tr key={head.id} data-testid={`head-${head.id}`}>
              <Td className="font-mono">#{head.id}</Td>
              <Td>
                <NoticeLink row={head} />
              </Td>
              <Td>
                <SideName side={head.target} /> · <EndpointName path={head.path} />
              </Td>
              <Td>
                <QueueBadge delivery={head} />{" "}
                {head.problemId && (
                  <Link className="text-xs text-blue-700 hover:underline" href={`/problems/${head.problemId}`}>
                    {t("delivery.problem", { id: head.problemId })}
                  </Link>
                )}
              </Td>
              <Td className="max-w-xs text-xs">
                <FailureText error={head.lastError} msg={head.answerMsg} />
              </Td>
              <Td className="whitespace-nowrap">
                {time(head.createdAt)} <Age at={head.createdAt} />
              </Td>
              <Td className="space-y-1">
                <Link className="block whitespace-nowrap text-blue-700 hover:underline" href={`/deliveries?blockedBy=${head.id}&queue=blocked`}>
                  <Badge tone="amber">{t("problems.blocks", { n: head.blocks })}</Badge> {t("problems.showBlocked")}
                </Link>
                {canAct && (
                  <Button className="px-2 py-1 text-xs" onClick={() => setActing(acting === head.id ? null : head.id)}>
                    {t("problems.actOnHead", { n: head.blocks })}
                  </Button>
                )}
                {acting === head.id && <DeliveryActions compact selection={{ filter: { headOf: head.id } }} />}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
