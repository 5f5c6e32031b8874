"use client";

import { useQuery } from "@tanstack/react-query";
import { useI18n } from "@/lib/i18n/client";
import { Card, ErrorNote, Table, Td } from "@/components/ui";
import { useTRPC } from "@/trpc/react";

/** What the hub runs with, read from the environment; tokens only as "set" or "not set". */
export function SettingsView() {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const { data, error } = useQuery(trpc.admin.settings.queryOptions());
  if (error) return <ErrorNote error={error} />;
  if (!data) return null;
  const seconds = (ms: number) => `${(ms / 1000).toLocaleString(locale)} s`;
  return (
    <div className="space-y-4">
      <Card title={t("settings.targets")}>
        <Table head={[t("delivery.target"), t("settings.baseUrl"), t("settings.token")]}>
          {(["oms", "pos"] as const).map((side) => (
            <tr key={side}>
              <Td>{side.toUpperCase()}</Td>
              <Td className="font-mono">{data.targets[side].baseUrl ?? <span className="text-amber-800">{t("settings.noTarget")}</span>}</Td>
              <Td>{data.targets[side].tokenSet ? t("settings.set") : t("settings.notSet")}</Td>
            </tr>
          ))}
        </Table>
      </Card>
      <Card title={t("settings.retry")}>
        <dl className="grid grid-cols-2 gap-2 text-sm md:grid-cols-3">
          <dt className="text-slate-500">DELIVERY_TIMEOUT_MS</dt>
          <dd className="md:col-span-2">{seconds(data.retry.attemptTimeoutMs)}</dd>
          <dt className="text-slate-500">DELIVERY_CONCURRENCY</dt>
          <dd className="md:col-span-2">{data.retry.concurrency}</dd>
          <dt className="text-slate-500">DELIVERY_DEADLINE_SECONDS</dt>
          <dd className="md:col-span-2">{data.retry.deadlineSeconds.toLocaleString(locale)} s</dd>
          <dt className="text-slate-500">{t("settings.backoff")}</dt>
          <dd className="md:col-span-2">
            {seconds(data.retry.firstRetryMs)} → {seconds(data.retry.maxRetryMs)}
          </dd>
          <dt className="text-slate-500">VOID_SYNC_BUDGET_MS</dt>
          <dd className="md:col-span-2">{seconds(data.voidSyncBudgetMs)}</dd>
          <dt className="text-slate-500">IDEMPOTENCY_RETENTION_DAYS</dt>
          <dd className="md:col-span-2">{data.idempotencyRetentionDays}</dd>
          <dt className="text-slate-500">WORKER</dt>
          <dd className="md:col-span-2">{data.worker}</dd>
          <dt className="text-slate-500">{t("settings.database")}</dt>
          <dd className="md:col-span-2 font-mono">{data.database}</dd>
          <dt className="text-slate-500">HUB_POS_TOKEN / HUB_OMS_TOKEN</dt>
          <dd className="md:col-span-2">
            {data.bootstrapTokens.pos ? t("settings.set") : t("settings.notSet")} / {data.bootstrapTokens.oms ? t("settings.set") : t("settings.notSet")}
          </dd>
        </dl>
        <p className="mt-3 text-xs text-slate-500">{t("settings.fromEnvironment")}</p>
      </Card>
    </div>
  );
}
