"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useI18n } from "@/lib/i18n/client";
import { Badge, Button, Card, ErrorNote, inputClass, Table, Td } from "@/components/ui";
import { toastFailure } from "@/components/feedback/action-toasts";
import { checkLiveSetting } from "@/lib/setting-kinds";
import { useTRPC, type RouterOutputs } from "@/trpc/react";

type LiveSetting = RouterOutputs["admin"]["liveSettings"][number];

const SOURCE_TONE = { stored: "blue", environment: "gray", unset: "amber" } as const;

/** A setting's name in words, its variable as a small hint (an ops engineer greps for it, a person reads the words). */
function SettingName({ settingKey }: { settingKey: string }) {
  const { t } = useI18n();
  return (
    <span className="flex flex-col">
      <span>{t(`settings.label.${settingKey}` as Parameters<typeof t>[0])}</span>
      <code className="text-[11px] text-slate-400">{settingKey}</code>
    </span>
  );
}

/** One live setting: value in force and where it comes from; change it, or go back to the environment's value. */
function LiveSettingRow({ entry }: { entry: LiveSetting }) {
  const { t, time } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState("");
  const label = t(`settings.label.${entry.key}`);
  const save = useMutation(
    trpc.admin.saveSetting.mutationOptions({
      onSuccess: (_, input) => {
        setEditing(false);
        setText("");
        void queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() });
        toast.success(input.value === null ? t("settings.resetDone", { label }) : t("settings.saved", { label }));
      },
      onError: (error) => toastFailure(t, error),
    }),
  );
  const checked = text ? checkLiveSetting(entry.key, text) : null;
  const unit = entry.kind === "number" && entry.unit ? t(`settings.unit.${entry.unit}`) : "";
  const empty = entry.kind === "url" ? t("settings.noTarget") : t("settings.notSet");

  return (
    <tr data-setting={entry.key}>
      <Td>
        <SettingName settingKey={entry.key} />
      </Td>
      <Td className="font-mono break-all">
        {entry.value ?? <span className="font-sans text-amber-800">{empty}</span>} {entry.value !== null && unit}
      </Td>
      <Td>
        <Badge tone={SOURCE_TONE[entry.source]}>{t(`settings.source.${entry.source}`)}</Badge>
        {entry.source === "stored" && <p className="text-xs text-slate-500">{t("settings.byWhom", { who: entry.updatedBy ?? "", at: time(entry.updatedAt) })}</p>}
        <p className="text-xs text-slate-500">
          {entry.environmentValue === null ? t("settings.noEnvDefault") : t("settings.envDefault", { value: `${entry.environmentValue}${unit ? ` ${unit}` : ""}` })}
        </p>
      </Td>
      <Td>
        {editing ? (
          <form
            className="flex flex-col gap-1"
            onSubmit={(event) => {
              event.preventDefault();
              if (checked?.ok) save.mutate({ key: entry.key, value: text });
            }}
          >
            <div className="flex items-center gap-1">
              <input
                aria-label={label}
                type={entry.kind === "secret" ? "password" : "text"}
                inputMode={entry.kind === "number" ? "numeric" : undefined}
                autoComplete="off"
                value={text}
                onChange={(event) => setText(event.target.value)}
                placeholder={entry.kind === "url" ? "https://" : entry.kind === "number" ? `${entry.min}–${entry.max}` : ""}
                className={`${inputClass} w-64 font-mono`}
              />
              {unit && <span className="text-xs text-slate-500">{unit}</span>}
            </div>
            {checked && !checked.ok && (
              <p role="alert" className="text-xs text-red-800">
                {t(`settings.problem.${checked.problem}`, entry.kind === "number" ? { min: entry.min, max: entry.max } : {})}
              </p>
            )}
            <div className="flex gap-2">
              <Button tone="primary" type="submit" disabled={!checked?.ok || save.isPending}>
                {t("settings.save")}
              </Button>
              <Button onClick={() => setEditing(false)}>{t("feedback.cancel")}</Button>
            </div>
          </form>
        ) : (
          <div className="flex gap-2">
            <Button aria-label={`${t("settings.edit")} ${label}`} onClick={() => setEditing(true)}>
              {t("settings.edit")}
            </Button>
            {entry.source === "stored" && (
              <Button aria-label={`${t("settings.reset")} ${label}`} disabled={save.isPending} onClick={() => save.mutate({ key: entry.key, value: null })}>
                {t("settings.reset")}
              </Button>
            )}
          </div>
        )}
      </Td>
    </tr>
  );
}

/**
 * Admin → Settings: what an admin may change live (delivery targets and the
 * tokens the hub presents, attempt timeout, retry window, concurrency), the
 * environment's values as defaults, what needs a restart, and who changed what.
 */
export function SettingsView() {
  const { t, time, locale } = useI18n();
  const trpc = useTRPC();
  const live = useQuery(trpc.admin.liveSettings.queryOptions());
  const audit = useQuery(trpc.admin.settingsAudit.queryOptions());
  const fixed = useQuery(trpc.admin.settings.queryOptions());
  const error = live.error ?? audit.error ?? fixed.error;
  if (error) return <ErrorNote error={error} />;
  const data = fixed.data;
  const seconds = (ms: number) => `${(ms / 1000).toLocaleString(locale)} ${t("settings.unit.s")}`;
  const setOrNot = (set: boolean) => (set ? t("settings.set") : t("settings.notSet"));
  const shown = (value: string | null) => value ?? t("settings.envValue");

  return (
    <div className="space-y-4">
      <Card title={t("settings.liveTitle")}>
        <p className="mb-2 text-xs text-slate-500">{t("settings.liveHint")}</p>
        <Table head={[t("settings.name"), t("settings.value"), t("settings.source"), ""]}>
          {live.data?.map((entry) => <LiveSettingRow key={entry.key} entry={entry} />)}
        </Table>
      </Card>
      {data && (
        <Card title={t("settings.restartTitle")}>
          <dl className="grid grid-cols-2 gap-2 text-sm md:grid-cols-3">
            <dt className="text-slate-500">{t("settings.backoff")}</dt>
            <dd className="md:col-span-2">
              {seconds(data.retry.firstRetryMs)} → {seconds(data.retry.maxRetryMs)}
            </dd>
            <dt className="text-slate-500">
              <SettingName settingKey="VOID_SYNC_BUDGET_MS" />
            </dt>
            <dd className="md:col-span-2">{seconds(data.voidSyncBudgetMs)}</dd>
            <dt className="text-slate-500">
              <SettingName settingKey="IDEMPOTENCY_RETENTION_DAYS" />
            </dt>
            <dd className="md:col-span-2">{t("settings.days", { n: data.idempotencyRetentionDays })}</dd>
            <dt className="text-slate-500">
              <SettingName settingKey="WORKER" />
            </dt>
            <dd className="md:col-span-2">{data.worker === "on" ? t("settings.workerOn") : t("settings.workerOff")}</dd>
            <dt className="text-slate-500">{t("settings.database")}</dt>
            <dd className="font-mono md:col-span-2">{data.database}</dd>
            <dt className="text-slate-500">
              <SettingName settingKey="HUB_POS_TOKEN" />
            </dt>
            <dd className="md:col-span-2">{setOrNot(data.bootstrapTokens.pos)}</dd>
            <dt className="text-slate-500">
              <SettingName settingKey="HUB_OMS_TOKEN" />
            </dt>
            <dd className="md:col-span-2">{setOrNot(data.bootstrapTokens.oms)}</dd>
          </dl>
        </Card>
      )}
      <Card title={t("settings.audit")}>
        {audit.data?.length === 0 && <p className="text-sm text-slate-500">{t("settings.noChanges")}</p>}
        {audit.data && audit.data.length > 0 && (
          <Table head={[t("settings.when"), t("settings.who"), t("settings.name"), t("diff.before"), t("diff.after")]}>
            {audit.data.map((change) => (
              <tr key={change.id}>
                <Td className="whitespace-nowrap">{time(change.createdAt)}</Td>
                <Td>{change.actor}</Td>
                <Td>
                  <SettingName settingKey={change.key} />
                </Td>
                <Td className="font-mono break-all">{shown(change.before)}</Td>
                <Td className="font-mono break-all">{shown(change.after)}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </div>
  );
}
