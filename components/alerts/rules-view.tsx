"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Button, Card, ErrorNote, inputClass, Table, Td } from "@/components/ui";
import { useTRPC } from "@/trpc/react";

type Param = "minutes" | "reminderMinutes" | "percent" | "minCalls" | "from" | "to";

/** Admin → Alerts → Rules: each rule's switch and thresholds, saved one rule at a time (audited). */
export function RulesView() {
  const { t, time } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.alerts.rules.queryOptions());
  const [drafts, setDrafts] = useState<Record<string, { enabled: boolean; params: Record<string, string> }>>({});
  const save = useMutation(
    trpc.alerts.updateRule.mutationOptions({
      onSuccess: (_result, input) => {
        setDrafts(({ [input.rule]: _saved, ...rest }) => rest);
        void queryClient.invalidateQueries({ queryKey: trpc.alerts.rules.queryKey() });
      },
    }),
  );

  return (
    <Card title={t("alerts.tabRules")}>
      <ErrorNote error={rules.error ?? save.error} />
      <Table head={[t("alerts.enabled"), t("alerts.rule"), t("alerts.thresholds"), t("alerts.updated"), ""]}>
        {rules.data?.map((rule) => {
          const stored = { enabled: rule.enabled, params: Object.fromEntries(Object.entries(rule.params).map(([key, value]) => [key, String(value)])) };
          const draft = drafts[rule.rule] ?? stored;
          const change = (next: typeof draft) => setDrafts({ ...drafts, [rule.rule]: next });
          return (
            <tr key={rule.rule} data-testid={`rule-${rule.rule}`}>
              <Td>
                <input
                  type="checkbox"
                  aria-label={t(`alerts.rule.${rule.rule}`)}
                  checked={draft.enabled}
                  onChange={(event) => change({ ...draft, enabled: event.target.checked })}
                />
              </Td>
              <Td>{t(`alerts.rule.${rule.rule}`)}</Td>
              <Td>
                <div className="flex flex-wrap gap-3">
                  {Object.keys(stored.params).map((param) => (
                    <label key={param} className="flex flex-col gap-1 text-xs text-slate-600">
                      {t(`alerts.param.${param as Param}`)}
                      <input
                        name={param}
                        value={draft.params[param] ?? ""}
                        onChange={(event) => change({ ...draft, params: { ...draft.params, [param]: event.target.value } })}
                        className={`${inputClass} w-28`}
                      />
                    </label>
                  ))}
                </div>
              </Td>
              <Td className="text-xs">{rule.updatedBy ? `${rule.updatedBy} · ${time(rule.updatedAt)}` : t("alerts.defaults")}</Td>
              <Td>
                <Button
                  tone="primary"
                  disabled={!drafts[rule.rule] || save.isPending}
                  onClick={() => save.mutate({ rule: rule.rule, enabled: draft.enabled, params: draft.params })}
                >
                  {t("alerts.save")}
                </Button>
              </Td>
            </tr>
          );
        })}
      </Table>
    </Card>
  );
}
