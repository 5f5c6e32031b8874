"use client";

import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui";

/** What a confirmation asks: a title (also the dialog's accessible name), an explanation, the button's words. */
export type ConfirmRequest = { title: string; body?: ReactNode; confirm: string; tone?: "primary" | "danger" };

/**
 * A modal confirmation (the browser's own <dialog>: focus kept inside, Esc
 * cancels) instead of window.confirm, which cannot be styled, translated or
 * read by a screen reader with a title. Returns the dialog to render once and
 * `ask(request)`, which resolves true when the person confirms, false when
 * they cancel or close it.
 */
export function useConfirm(): [ReactNode, (request: ConfirmRequest) => Promise<boolean>] {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [pending, setPending] = useState<(ConfirmRequest & { resolve: (yes: boolean) => void }) | null>(null);

  useEffect(() => {
    if (pending && !ref.current?.open) ref.current?.showModal();
  }, [pending]);

  const ask = useCallback((request: ConfirmRequest) => new Promise<boolean>((resolve) => setPending({ ...request, resolve })), []);
  const answer = (yes: boolean) => {
    pending?.resolve(yes);
    setPending(null);
    ref.current?.close();
  };

  const dialog = (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={() => answer(false)}
      className="m-auto w-[min(28rem,92vw)] rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      {pending && (
        <div className="space-y-3 p-4">
          <h2 id={titleId} className="text-base font-semibold">
            {pending.title}
          </h2>
          {pending.body && <div className="text-sm text-slate-700">{pending.body}</div>}
          <div className="flex justify-end gap-2">
            <Button onClick={() => answer(false)}>{t("feedback.cancel")}</Button>
            <Button tone={pending.tone ?? "primary"} onClick={() => answer(true)} autoFocus>
              {pending.confirm}
            </Button>
          </div>
        </div>
      )}
    </dialog>
  );
  return [dialog, ask];
}
