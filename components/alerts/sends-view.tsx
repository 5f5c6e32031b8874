"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Badge, Button, Card, ErrorNote, Field, inputClass, Table, Td, toneOf } from "@/components/ui";
import { alertSendKinds } from "@/lib/states";
import { useTRPC } from "@/trpc/react";
import { alertSendStates } from "@/lib/states";


/** Admin → Alerts → Send log: every message to every channel with its attempts and error; and who changed channels and rules. */
export function SendsView() {
  const { t, time } = useI18n();
  const trpc = useTRPC();
  const [filter, setFilter] = useState<{ state?: (typeof alertSendStates)[number]; kind?: (typeof alertSendKinds)[number] }>({});
  const [limit, setLimit] = useState(50);
  const sends = useQuery(trpc.alerts.sends.queryOptions({ ...filter, limit }));
  const audit = useQuery(trpc.alerts.audit.queryOptions());

  return (
    <div className="space-y-4">
      <Card title={t("alerts.tabSends")}>
        <div className="mb-3 flex flex-wrap gap-3">
          <Field label={t("admin.state")}>
            <select
              value={filter.state ?? ""}
              onChange={(event) => setFilter({ ...filter, state: (event.target.value || undefined) as typeof filter.state })}
              className={inputClass}
            >
              <option value="">{t("common.all")}</option>
              {alertSendStates.map((state) => (
                <option key={state} value={state}>
                  {t(`alerts.sendState.${state}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("alerts.sendKind")}>
            <select
              value={filter.kind ?? ""}
              onChange={(event) => setFilter({ ...filter, kind: (event.target.value || undefined) as typeof filter.kind })}
              className={inputClass}
            >
              <option value="">{t("common.all")}</option>
              {alertSendKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`alerts.sendKind.${kind}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <ErrorNote error={sends.error} />
        <Table
          head={[
            "#",
            t("notice.createdAt"),
            t("alerts.channel"),
            t("alerts.sendKind"),
            t("admin.state"),
            t("alerts.title"),
            t("alerts.attempts"),
            t("alerts.lastError"),
            t("alerts.nextAttempt"),
          ]}
        >
          {sends.data?.map((send) => (
            <tr key={send.id} data-testid="alert-send">
              <Td>{send.id}</Td>
              <Td className="whitespace-nowrap">{time(send.createdAt)}</Td>
              <Td>
                {send.channelName} <span className="text-xs text-slate-500">{t(`alerts.kind.${send.channelKind}`)}</span>
              </Td>
              <Td>{t(`alerts.sendKind.${send.kind}`)}</Td>
              <Td>
                <Badge tone={toneOf(send.state)}>{t(`alerts.sendState.${send.state}`)}</Badge>
              </Td>
              <Td>
                {send.linkPath ? (
                  <Link className="text-blue-700 hover:underline" href={send.linkPath}>
                    {send.title}
                  </Link>
                ) : (
                  send.title
                )}
                {send.requestedBy && <div className="text-xs text-slate-500">{send.requestedBy}</div>}
              </Td>
              <Td>{send.attempts}</Td>
              <Td className="max-w-sm text-xs break-all text-red-700">{send.lastError}</Td>
              <Td className="whitespace-nowrap">{send.state === "pending" ? time(send.nextAttemptAt) : ""}</Td>
            </tr>
          ))}
        </Table>
        {sends.data?.length === limit && (
          <Button className="mt-2" onClick={() => setLimit(Math.min(200, limit + 50))} disabled={limit >= 200}>
            {t("alerts.more")}
          </Button>
        )}
      </Card>
      <Card title={t("alerts.audit")}>
        <ErrorNote error={audit.error} />
        <Table head={[t("notice.createdAt"), t("alerts.actor"), t("alerts.object"), t("alerts.action"), t("alerts.change")]}>
          {audit.data?.map((entry) => (
            <tr key={entry.id}>
              <Td className="whitespace-nowrap">{time(entry.createdAt)}</Td>
              <Td>{entry.actor}</Td>
              <Td>
                {entry.entity} {entry.entityKey}
              </Td>
              <Td>{entry.action}</Td>
              <Td className="font-mono text-xs break-all">
                {entry.before ? `${JSON.stringify(entry.before)} → ` : ""}
                {JSON.stringify(entry.after)}
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}
