"use client";

import { useQuery } from "@tanstack/react-query";
import { useI18n } from "@/lib/i18n/client";
import { endpointName } from "@/lib/i18n/glossary";
import { Field, inputClass } from "@/components/ui";
import { useTRPC } from "@/trpc/react";

/**
 * The "path" filter of a list: every endpoint of the contract by its business
 * name and path, or all ("" — the caller reads it as no filter).
 * @param value the path chosen, "" for all
 * @param onChange gets the path chosen, "" for all
 */
export function EndpointFilter({ value, onChange }: { value: string; onChange: (path: string) => void }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const endpoints = useQuery(trpc.logs.endpoints.queryOptions());
  return (
    <Field label={t("delivery.path")}>
      <select value={value} onChange={(event) => onChange(event.target.value)} className={inputClass}>
        <option value="">{t("common.all")}</option>
        {endpoints.data?.map((endpoint) => (
          <option key={endpoint.path} value={endpoint.path}>
            {endpointName(endpoint.path, locale)} · {endpoint.path}
          </option>
        ))}
      </select>
    </Field>
  );
}
