"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { useI18n } from "@/lib/i18n/client";
import { findJsonSyntaxError } from "@/lib/json-syntax";
import { Button, ErrorNote, inputClass, prettyJson } from "@/components/ui";
import { toastFailure } from "@/components/feedback/action-toasts";
import { RetryFollowUp } from "@/components/feedback/retry-follow-up";
import { followRetry } from "@/components/feedback/follow-ups";
import { PayloadDiff } from "@/components/deliveries/payload-diff";
import { useTRPC } from "@/trpc/react";

/**
 * Fix a payload and send it again. While typing: a JSON syntax error in the UI
 * language with its line and column, or the field-by-field diff against the
 * current payload (before / after). The endpoint's own schema checks it on the
 * server before anything is sent; after sending, the resend is followed to its
 * outcome like a retry.
 */
export function EditResend({ id, payload, onDone }: { id: number; payload: string; onDone?: () => void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const original = useMemo(() => prettyJson(payload), [payload]);
  const [text, setText] = useState(original);
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState<{ at: Date; followForMs: number } | null>(null);
  const syntax = useMemo(() => findJsonSyntaxError(text), [text]);
  const check = useMutation(trpc.deliveries.checkPayload.mutationOptions({ onError: (error) => toastFailure(t, error) }));
  const resend = useMutation(
    trpc.deliveries.editAndResend.mutationOptions({
      onSuccess: (result) => {
        void queryClient.invalidateQueries();
        setSent(result);
        followRetry(result);
        toast.info(t("feedback.resent"));
      },
      onError: (error) => toastFailure(t, error),
    }),
  );

  async function send() {
    setProblem(null);
    if (syntax) return;
    const verdict = await check.mutateAsync({ id, payload: text });
    if (!verdict.ok) return setProblem(verdict.msg);
    resend.mutate({ id, payload: text, note: note.trim() || undefined });
  }

  async function validate() {
    if (syntax) return;
    const verdict = await check.mutateAsync({ id, payload: text });
    // "" = checked and fine; null = not checked since the last send.
    setProblem(verdict.ok ? "" : verdict.msg);
  }

  if (sent) {
    return (
      <div className="space-y-2">
        <RetryFollowUp at={sent.at} followForMs={sent.followForMs} />
        <Button onClick={onDone}>{t("common.close")}</Button>
      </div>
    );
  }

  const syntaxText = syntax
    ? t("diff.jsonError", { line: syntax.line, column: syntax.column, what: syntax.found === null ? t("diff.jsonEnd") : t("diff.jsonFound", { found: syntax.found }) })
    : null;
  return (
    <div className="space-y-2">
      <textarea
        aria-label={t("actions.payload")}
        aria-invalid={syntax !== null}
        value={text}
        onChange={(event) => setText(event.target.value)}
        rows={14}
        spellCheck={false}
        className={`${inputClass} w-full font-mono text-xs`}
      />
      {syntaxText ? (
        <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-800">
          {syntaxText}
        </p>
      ) : (
        <PayloadDiff before={original} after={text} showWhole={false} />
      )}
      <input aria-label={t("actions.note")} placeholder={t("actions.noteOptional")} value={note} onChange={(event) => setNote(event.target.value)} className={`${inputClass} w-full`} />
      {problem && <p className="rounded bg-red-50 p-2 text-sm text-red-800">{problem}</p>}
      {problem === "" && <p className="text-sm text-emerald-700">{t("actions.payloadValid")}</p>}
      <ErrorNote error={check.error ?? resend.error} />
      <div className="flex gap-2">
        <Button onClick={() => void validate()} disabled={check.isPending || syntax !== null}>
          {t("actions.validate")}
        </Button>
        <Button tone="primary" onClick={() => void send()} disabled={check.isPending || resend.isPending || syntax !== null}>
          {t("actions.editAndResend")}
        </Button>
      </div>
    </div>
  );
}
