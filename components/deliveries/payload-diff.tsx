"use client";

import { useMemo } from "react";
import { useI18n } from "@/lib/i18n/client";
import { diffPayloads, markCharacters, type Segment } from "@/lib/payload-diff";
import { prettyJson, TextBlock } from "@/components/ui";

function Marked({ segments, tone }: { segments: Segment[]; tone: "before" | "after" }) {
  const mark = tone === "before" ? "bg-red-200 text-red-950 line-through decoration-red-700" : "bg-emerald-200 text-emerald-950 underline decoration-emerald-700";
  return (
    <code className="font-mono text-xs break-all whitespace-pre-wrap">
      {segments.map((segment, i) =>
        segment.changed ? (
          <mark key={i} className={`rounded-sm px-px ${mark}`}>
            {segment.text}
          </mark>
        ) : (
          <span key={i}>{segment.text}</span>
        ),
      )}
    </code>
  );
}

/**
 * Before / after of an edited payload, field by field: the path, the value
 * before and after in monospace with the differing characters marked (a
 * letter O typed for a zero shows), then both whole payloads side by side.
 * Used by edit & resend while typing and by the audit line of the edit.
 */
export function PayloadDiff({ before, after, showWhole = true }: { before: string; after: string; showWhole?: boolean }) {
  const { t } = useI18n();
  const changes = useMemo(() => diffPayloads(before, after), [before, after]);
  if (changes === null) return null;
  return (
    <div className="space-y-2" data-testid="payload-diff">
      {changes.length === 0 ? (
        <p className="text-xs text-slate-500">{t("diff.none")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-xs">
            <thead>
              <tr className="border-b border-slate-200 text-left text-slate-500">
                <th className="px-2 py-1 font-medium">{t("diff.field")}</th>
                <th className="px-2 py-1 font-medium">{t("diff.before")}</th>
                <th className="px-2 py-1 font-medium">{t("diff.after")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {changes.map((change) => {
                const marked = markCharacters(change.before ?? "", change.after ?? "");
                return (
                  <tr key={`${change.kind}:${change.path}`} data-path={change.path}>
                    <td className="px-2 py-1 align-top font-mono">{change.path || t("diff.whole")}</td>
                    <td className="bg-red-50 px-2 py-1 align-top">
                      {change.before === undefined ? <span className="text-slate-400">{t("diff.absent")}</span> : <Marked segments={marked.before} tone="before" />}
                    </td>
                    <td className="bg-emerald-50 px-2 py-1 align-top">
                      {change.after === undefined ? <span className="text-slate-400">{t("diff.absent")}</span> : <Marked segments={marked.after} tone="after" />}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {showWhole && (
        <details className="text-xs">
          <summary className="cursor-pointer text-blue-700">{t("diff.whole")}</summary>
          <div className="grid gap-2 md:grid-cols-2">
            <div>
              <p className="mb-1 font-medium text-slate-600">{t("diff.before")}</p>
              <TextBlock text={prettyJson(before)} />
            </div>
            <div>
              <p className="mb-1 font-medium text-slate-600">{t("diff.after")}</p>
              <TextBlock text={prettyJson(after)} />
            </div>
          </div>
        </details>
      )}
    </div>
  );
}
