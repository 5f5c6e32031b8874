"use client";

import { useState, type FormEvent } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Button, Field, inputClass } from "@/components/ui";
import { defaultChannelRules, ruleKinds, type RuleKind } from "@/lib/alert-rule-kinds";
import { channelFields, channelKinds, type ChannelKind, type ChannelSettings } from "@/lib/alert-channel-kinds";

export type ChannelFormValue = { kind: ChannelKind; name: string; settings: ChannelSettings; rules: RuleKind[]; ratePerMinute: number };

/**
 * The fields of a channel. Creating: every setting the kind needs. Editing:
 * the settings start blank and blank keeps the stored (encrypted) value, so a
 * secret is never sent back to the browser.
 */
export function ChannelForm({
  initial,
  editing = false,
  pending,
  onSubmit,
  onCancel,
}: {
  initial?: Partial<ChannelFormValue>;
  editing?: boolean;
  pending: boolean;
  onSubmit: (value: ChannelFormValue) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const [value, setValue] = useState<ChannelFormValue>({
    kind: initial?.kind ?? "wecom",
    name: initial?.name ?? "",
    settings: {},
    rules: initial?.rules ?? [...defaultChannelRules],
    ratePerMinute: initial?.ratePerMinute ?? 20,
  });
  const fields = [...channelFields[value.kind].required, ...channelFields[value.kind].optional];
  const setSetting = (field: keyof ChannelSettings, text: string) => setValue({ ...value, settings: { ...value.settings, [field]: text } });
  const toggleRule = (rule: RuleKind) =>
    setValue({ ...value, rules: value.rules.includes(rule) ? value.rules.filter((item) => item !== rule) : [...value.rules, rule] });

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(value);
    if (!editing) setValue({ ...value, name: "", settings: {} });
  }

  return (
    <form onSubmit={submit} className="space-y-3" data-testid={editing ? "channel-edit-form" : "channel-new-form"}>
      <div className="flex flex-wrap items-end gap-3">
        {!editing && (
          <Field label={t("alerts.kind")}>
            <select value={value.kind} onChange={(event) => setValue({ ...value, kind: event.target.value as ChannelKind, settings: {} })} className={inputClass}>
              {channelKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`alerts.kind.${kind}`)}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label={t("alerts.name")}>
          <input required value={value.name} onChange={(event) => setValue({ ...value, name: event.target.value })} className={inputClass} />
        </Field>
        <Field label={t("alerts.rate")}>
          <input
            type="number"
            min={1}
            max={600}
            value={value.ratePerMinute}
            onChange={(event) => setValue({ ...value, ratePerMinute: Number(event.target.value) })}
            className={`${inputClass} w-24`}
          />
        </Field>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        {fields.map((field) => (
          <Field key={field} label={t(`alerts.field.${field}`)}>
            <input
              name={field}
              type={field === "secret" ? "password" : "text"}
              autoComplete="off"
              required={!editing && channelFields[value.kind].required.includes(field)}
              placeholder={editing ? t("alerts.keepBlank") : undefined}
              value={value.settings[field] ?? ""}
              onChange={(event) => setSetting(field, event.target.value)}
              className={`${inputClass} ${field === "url" || field === "smtpUrl" ? "w-96" : "w-56"}`}
            />
          </Field>
        ))}
      </div>
      <fieldset className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <legend className="mb-1 text-xs text-slate-600">{t("alerts.rulesReceived")}</legend>
        {ruleKinds.map((rule) => (
          <label key={rule} className="flex items-center gap-1">
            <input type="checkbox" checked={value.rules.includes(rule)} onChange={() => toggleRule(rule)} />
            {t(`alerts.rule.${rule}`)}
          </label>
        ))}
      </fieldset>
      <div className="flex gap-2">
        <Button tone="primary" type="submit" disabled={pending}>
          {editing ? t("alerts.save") : t("admin.create")}
        </Button>
        {onCancel && <Button onClick={onCancel}>{t("alerts.cancel")}</Button>}
      </div>
    </form>
  );
}
