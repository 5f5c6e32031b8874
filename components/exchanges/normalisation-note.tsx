"use client";

import { useI18n } from "@/lib/i18n/client";
import { Badge } from "@/components/ui";
import type { RouterOutputs } from "@/trpc/react";

/** One change the hub made while reading a call (SPEC §3), as the exchange log answers it. */
type ReadChange = NonNullable<RouterOutputs["logs"]["inbound"]["rows"][number]["normalisation"]>[number];

// Whitespace is the whole point of a trimmed value: show it, don't let the page swallow it.
const visible = (text: string) => text.replace(/\u3000/g, "␣全").replace(/ /g, "␣").replace(/\t/g, "⇥").replace(/\n/g, "↵");

/** Says that reading changed a call, and what (SPEC §3): shown in the exchange log and the notice timeline. */
export function NormalisationNote({ changes }: { changes: ReadChange[] | null }) {
  const { t } = useI18n();
  if (!changes || changes.length === 0) return null;
  const line = (change: ReadChange) => {
    switch (change.kind) {
      case "encoding":
      case "charset":
        return t(`normalisation.${change.kind}`, { detail: change.detail });
      case "bom":
        return t("normalisation.bom");
      case "trimmed":
        return t("normalisation.trimmed", { path: change.path, from: visible(change.from), to: change.to });
      case "emptied":
        return t("normalisation.emptied", { path: change.path, from: visible(change.from) });
    }
  };
  return (
    <div className="my-1 text-xs" data-testid="normalisation">
      <Badge tone="amber">{t("normalisation.badge")}</Badge> {t("normalisation.title")}
      <ul className="ml-4 list-disc">
        {changes.map((change, index) => (
          <li key={index} className="font-mono">
            {line(change)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The short mark for a list row. */
export function NormalisedMark({ changes }: { changes: ReadChange[] | null }) {
  const { t } = useI18n();
  return changes && changes.length > 0 ? <Badge tone="amber">{t("normalisation.badge")}</Badge> : null;
}
