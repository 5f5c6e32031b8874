"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Button, ErrorNote, inputClass, prettyJson } from "@/components/ui";
import { useTRPC } from "@/trpc/react";

/** Fix a payload and send it again; the endpoint's own schema checks it before anything is sent. */
export function EditResend({ id, payload, onDone }: { id: number; payload: string; onDone?: () => void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState(() => prettyJson(payload));
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const check = useMutation(trpc.deliveries.checkPayload.mutationOptions());
  const resend = useMutation(
    trpc.deliveries.editAndResend.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries();
        onDone?.();
      },
    }),
  );

  async function send() {
    setProblem(null);
    const verdict = await check.mutateAsync({ id, payload: text });
    if (!verdict.ok) return setProblem(verdict.msg);
    resend.mutate({ id, payload: text, note: note.trim() || undefined });
  }

  async function validate() {
    const verdict = await check.mutateAsync({ id, payload: text });
    // "" = checked and fine; null = not checked since the last send.
    setProblem(verdict.ok ? "" : verdict.msg);
  }

  return (
    <div className="space-y-2">
      <textarea
        aria-label={t("actions.payload")}
        value={text}
        onChange={(event) => setText(event.target.value)}
        rows={14}
        spellCheck={false}
        className={`${inputClass} w-full font-mono text-xs`}
      />
      <input aria-label={t("actions.note")} placeholder={t("actions.noteOptional")} value={note} onChange={(event) => setNote(event.target.value)} className={`${inputClass} w-full`} />
      {problem && <p className="rounded bg-red-50 p-2 text-sm text-red-800">{problem}</p>}
      {problem === "" && <p className="text-sm text-emerald-700">{t("actions.payloadValid")}</p>}
      <ErrorNote error={check.error ?? resend.error} />
      <div className="flex gap-2">
        <Button onClick={() => void validate()} disabled={check.isPending}>
          {t("actions.validate")}
        </Button>
        <Button tone="primary" onClick={() => void send()} disabled={check.isPending || resend.isPending}>
          {t("actions.editAndResend")}
        </Button>
      </div>
    </div>
  );
}
