"use client";

import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Badge, Button, TextBlock, toneOf } from "@/components/ui";
import { DeliveryActions } from "@/components/deliveries/delivery-actions";
import { EditResend } from "@/components/deliveries/edit-resend";
import { PayloadDiff } from "@/components/deliveries/payload-diff";
import { useMe } from "@/components/use-me";
import type { RouterOutputs } from "@/trpc/react";
import { FailureText } from "@/components/words";
import { queueOf } from "@/lib/delivery-queues";
import { openDeliveryStates } from "@/lib/states";

type Attempt = NonNullable<RouterOutputs["deliveries"]["get"]>["attempts"][number];

/** Each attempt, its answer expandable as text. */
export function AttemptList({ attempts }: { attempts: Attempt[] }) {
  const { t, time } = useI18n();
  if (attempts.length === 0) return <p className="text-xs text-slate-500">{t("delivery.noAttempts")}</p>;
  return (
    <ol className="space-y-1">
      {attempts.map((attempt) => (
        <li key={attempt.id} className="text-xs">
          <details>
            <summary className="cursor-pointer">
              #{attempt.attemptNo} {time(attempt.startedAt)} · {attempt.durationMs} ms · <Badge tone={toneOf(attempt.outcome)}>{t(`outcome.${attempt.outcome}`)}</Badge>{" "}
              {attempt.httpStatus !== null && `HTTP ${attempt.httpStatus}`} {attempt.outcome === "failed" && <FailureText error={attempt.error} httpStatus={attempt.httpStatus} />}
            </summary>
            <div className="mt-1 space-y-1 pl-4">
              <p className="text-slate-500">
                {attempt.url} · v{attempt.payloadVersion} · {attempt.worker}
              </p>
              <TextBlock text={attempt.responseBody ?? attempt.error ?? ""} />
            </div>
          </details>
        </li>
      ))}
    </ol>
  );
}

type Action = NonNullable<RouterOutputs["deliveries"]["get"]>["actions"][number];

export function ActionLine({ action }: { action: Action }) {
  const { t, time } = useI18n();
  return (
    <div className="text-sm">
      <span className="font-medium">{t(`actionKind.${action.action}`)}</span> #{action.deliveryId} · {action.actor} · {time(action.createdAt)} ·{" "}
      {t(`queue.${queueOf({ state: action.stateBefore })}`)} → {t(`queue.${queueOf({ state: action.stateAfter })}`)}
      {action.note && <p className="text-slate-700">“{action.note}”</p>}
      {action.payloadAfter !== null && (
        <details className="text-xs" open>
          <summary className="cursor-pointer text-blue-700">{t("delivery.payloadChange")}</summary>
          <PayloadDiff before={action.payloadBefore ?? ""} after={action.payloadAfter} />
        </details>
      )}
    </div>
  );
}

const OPEN = new Set<string>(openDeliveryStates);

/** What an operator can do to one delivery: the three actions, and edit & resend with the current payload. */
/** The actions on one delivery; a head that holds others back offers to act on them too (head-of-line). */
export function SingleDeliveryActions({ id, state, payload, blocks = 0 }: { id: number; state: string; payload: string; blocks?: number }) {
  const { t } = useI18n();
  const { canAct } = useMe();
  const [editing, setEditing] = useState(false);
  const [withBlocked, setWithBlocked] = useState(false);
  if (!canAct || !OPEN.has(state)) return null;
  const selection = withBlocked && blocks > 0 ? { filter: { headOf: id } } : { ids: [id] };
  return (
    <div className="space-y-2">
      {blocks > 0 && (
        <label className="flex items-center gap-1 text-sm text-amber-800">
          <input type="checkbox" checked={withBlocked} onChange={(event) => setWithBlocked(event.target.checked)} />
          {t("problems.actOnHead", { n: blocks })}
        </label>
      )}
      <div className="flex flex-wrap items-start gap-2">
        <DeliveryActions key={JSON.stringify(selection)} selection={selection} compact />
        <Button className="px-2 py-1 text-xs" onClick={() => setEditing(!editing)}>
          {t("actions.editAndResend")}
        </Button>
      </div>
      {editing && <EditResend id={id} payload={payload} onDone={() => setEditing(false)} />}
    </div>
  );
}
