"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { useConfirm } from "@/components/feedback/confirm-dialog";
import { Badge, Button, Card, ErrorNote, Table, Td, toneOf } from "@/components/ui";
import { ChannelForm, type ChannelFormValue } from "@/components/alerts/channel-form";
import type { RuleKind } from "@/lib/alert-rule-kinds";
import { useTRPC } from "@/trpc/react";

/** Admin → Alerts → Channels: create, edit, test, switch off and remove; environment channels read-only. */
export function ChannelsView() {
  const { t, time } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const channels = useQuery(trpc.alerts.channels.queryOptions());
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.alerts.channels.queryKey() });
  const [saved, setSaved] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [tests, setTests] = useState<Record<number, { ok: boolean; error: string | null }>>({});
  const create = useMutation(
    trpc.alerts.createChannel.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        refresh();
      },
    }),
  );
  const update = useMutation(
    trpc.alerts.updateChannel.mutationOptions({
      onSuccess: () => {
        setEditing(null);
        refresh();
      },
    }),
  );
  const remove = useMutation(trpc.alerts.removeChannel.mutationOptions({ onSuccess: refresh }));
  const [dialog, ask] = useConfirm();
  async function removeChannel(channel: { id: number; name: string }) {
    const yes = await ask({ title: t("alerts.removeConfirm", { name: channel.name }), confirm: t("alerts.remove"), tone: "danger" });
    if (yes) remove.mutate({ id: channel.id });
  }
  const test = useMutation(
    trpc.alerts.testChannel.mutationOptions({
      onSuccess: (result, input) => {
        setTests((previous) => ({ ...previous, [input.id]: result }));
        refresh();
      },
    }),
  );

  const submitNew = (value: ChannelFormValue) => {
    setSaved(false);
    create.mutate(value);
  };
  const submitEdit = (id: number) => (value: ChannelFormValue) => update.mutate({ id, name: value.name, settings: value.settings, rules: value.rules, ratePerMinute: value.ratePerMinute });

  return (
    <div className="space-y-4">
      {dialog}
      <Card title={t("alerts.newChannel")}>
        <ChannelForm pending={create.isPending} onSubmit={submitNew} />
        <ErrorNote error={create.error} />
        {saved && (
          <p role="status" className="mt-2 rounded bg-emerald-50 p-2 text-sm text-emerald-900">
            {t("alerts.savedSecretsNote")}
          </p>
        )}
      </Card>
      <Card title={t("alerts.channels")}>
        <ErrorNote error={channels.error ?? update.error ?? remove.error ?? test.error} />
        {channels.data?.length === 0 && <p className="text-sm text-slate-600">{t("alerts.noChannels")}</p>}
        <Table head={[t("alerts.name"), t("alerts.kind"), t("alerts.source"), t("alerts.settings"), t("alerts.rulesReceived"), t("alerts.rate"), t("alerts.lastSend"), ""]}>
          {channels.data?.map((channel) => (
            <tr key={channel.id} data-testid={`channel-${channel.id}`}>
              {editing === channel.id ? (
                <Td colSpan={8}>
                  <ChannelForm
                    editing
                    initial={{ kind: channel.kind, name: channel.name, rules: channel.rules as RuleKind[], ratePerMinute: channel.ratePerMinute }}
                    pending={update.isPending}
                    onSubmit={submitEdit(channel.id)}
                    onCancel={() => setEditing(null)}
                  />
                </Td>
              ) : (
                <>
                  <Td>
                    {channel.name} {!channel.enabled && <Badge tone="gray">{t("admin.disabled")}</Badge>}
                  </Td>
                  <Td>{t(`alerts.kind.${channel.kind}`)}</Td>
                  <Td>{channel.source === "env" ? <Badge tone="blue">{t("alerts.sourceEnv")}</Badge> : t("alerts.sourceAdmin")}</Td>
                  <Td className="font-mono text-xs break-all">
                    {Object.entries(channel.summary).map(([key, value]) => (
                      <div key={key}>
                        {key}: {value}
                      </div>
                    ))}
                  </Td>
                  <Td className="text-xs">{channel.rules.map((rule) => t(`alerts.rule.${rule as RuleKind}`)).join("、")}</Td>
                  <Td>{channel.ratePerMinute}</Td>
                  <Td className="text-xs">
                    {channel.lastSend && (
                      <>
                        <Badge tone={toneOf(channel.lastSend.state)}>{t(`alerts.sendState.${channel.lastSend.state as "pending" | "sent" | "failed"}`)}</Badge>{" "}
                        {time(channel.lastSend.at)}
                        {channel.lastSend.error && <div className="text-red-700">{channel.lastSend.error}</div>}
                      </>
                    )}
                  </Td>
                  <Td>
                    <div className="flex flex-wrap gap-1">
                      <Button onClick={() => test.mutate({ id: channel.id })} disabled={test.isPending && test.variables?.id === channel.id}>
                        {t("alerts.test")}
                      </Button>
                      {channel.source === "admin" && (
                        <>
                          <Button onClick={() => setEditing(channel.id)}>{t("alerts.edit")}</Button>
                          <Button onClick={() => update.mutate({ id: channel.id, enabled: !channel.enabled })}>
                            {channel.enabled ? t("admin.disable") : t("admin.enable")}
                          </Button>
                          <Button tone="danger" onClick={() => void removeChannel(channel)}>
                            {t("alerts.remove")}
                          </Button>
                        </>
                      )}
                    </div>
                    {tests[channel.id] && (
                      <p role="status" data-testid="test-result" className={`mt-1 text-xs ${tests[channel.id]!.ok ? "text-emerald-700" : "text-red-700"}`}>
                        {tests[channel.id]!.ok ? t("alerts.testOk") : t("alerts.testFailed", { error: tests[channel.id]!.error ?? "" })}
                      </p>
                    )}
                  </Td>
                </>
              )}
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}
