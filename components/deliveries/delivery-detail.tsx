"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useI18n } from "@/lib/i18n/client";
import { Badge, ErrorNote, TextBlock } from "@/components/ui";
import { ActionLine, AttemptList, SingleDeliveryActions } from "@/components/deliveries/delivery-parts";
import { useTRPC } from "@/trpc/react";

/** One delivery opened up: payload, attempts, audit trail, and what an operator can do. */
export function DeliveryDetail({ id, blocks = 0 }: { id: number; blocks?: number }) {
  const { t, time } = useI18n();
  const trpc = useTRPC();
  const { data: delivery, error } = useQuery(trpc.deliveries.get.queryOptions({ id }));
  if (error) return <ErrorNote error={error} />;
  if (!delivery) return <p className="text-sm text-slate-500">{t("common.loading")}</p>;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <div className="space-y-2">
        <p className="text-xs text-slate-500">
          {t("delivery.deliveryId")} <span className="font-mono">{delivery.deliveryId}</span> · v{delivery.payloadVersion} · {t("delivery.deadline")}{" "}
          {time(delivery.deadlineAt)}{" "}
          {delivery.payloadVersion > 1 && <Badge tone="amber">{t("delivery.edited", { n: delivery.payloadVersion })}</Badge>}
        </p>
        {delivery.blockedBy !== null && (
          <p className="text-sm text-amber-800">
            {t("delivery.blockedBy", { id: delivery.blockedBy })}
            {delivery.noticeId && (
              <Link className="ml-2 text-blue-700 underline" href={`/notices/${delivery.noticeId}`}>
                {t("delivery.openNotice")}
              </Link>
            )}
          </p>
        )}
        <TextBlock text={delivery.payload} />
        <SingleDeliveryActions id={delivery.id} state={delivery.state} payload={delivery.payload} blocks={blocks} />
      </div>
      <div className="space-y-3">
        <div>
          <h4 className="mb-1 text-sm font-semibold">{t("delivery.attemptHistory")}</h4>
          <AttemptList attempts={delivery.attempts} />
        </div>
        {delivery.actions.length > 0 && (
          <div>
            <h4 className="mb-1 text-sm font-semibold">{t("delivery.actions")}</h4>
            <div className="space-y-2">
              {delivery.actions.map((action) => (
                <ActionLine key={action.id} action={action} />
              ))}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
