"use client";

import { useI18n } from "@/lib/i18n/client";
import { Badge, toneOf } from "@/components/ui";
import { failureKinds, type FailureKind } from "@/lib/failure-kinds";
import type { ProblemState } from "@/lib/states";

/** A problem's failure kind in the reader's language (an unknown kind, from a newer hub, shows as itself). */
export function FailureKindLabel({ kind, msg }: { kind: string; msg?: string }) {
  const { t } = useI18n();
  const label = (failureKinds as readonly string[]).includes(kind) ? t(`failure.${kind as FailureKind}`) : kind;
  return (
    <span>
      {label}
      {msg ? <span className="ml-1 font-medium text-red-800">「{msg}」</span> : null}
    </span>
  );
}

export function ProblemStateBadge({ state }: { state: ProblemState }) {
  const { t } = useI18n();
  return <Badge tone={toneOf(state)}>{t(`problemState.${state}`)}</Badge>;
}
