"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useI18n } from "@/lib/i18n/client";
import { toastFailure } from "@/components/feedback/action-toasts";
import { useConfirm } from "@/components/feedback/confirm-dialog";
import { CopyButton } from "@/components/feedback/copy-button";
import { sideName, term } from "@/lib/i18n/glossary";
import { Badge, Button, Card, ErrorNote, Field, inputClass, Table, Td } from "@/components/ui";
import { useTRPC } from "@/trpc/react";

/** Partner tokens: create (shown once, with a copy button), revoke after a confirmation; each ends with a toast. */
export function TokensView() {
  const { t, time, locale } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.admin.tokens.queryOptions());
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.tokens.queryKey() });
  const [form, setForm] = useState({ side: "pos" as "pos" | "oms", label: "", shops: "" });
  const [shown, setShown] = useState<{ token: string; side: string } | null>(null);
  const [dialog, ask] = useConfirm();
  const failed = (error: { message: string }) => toastFailure(t, error);
  const create = useMutation(
    trpc.admin.createToken.mutationOptions({
      onSuccess: (created, input) => {
        setShown({ token: created.token, side: input.side });
        setForm({ ...form, label: "", shops: "" });
        refresh();
        toast.success(t("feedback.tokenCreated", { label: input.label }));
      },
      onError: failed,
    }),
  );
  const revoke = useMutation(trpc.admin.revokeToken.mutationOptions({ onSuccess: refresh, onError: failed }));

  async function revokeToken(token: { id: number; label: string }) {
    const yes = await ask({ title: t("feedback.revokeTitle", { label: token.label }), body: t("admin.revokeConfirm", { label: token.label }), confirm: t("admin.revoke"), tone: "danger" });
    if (yes) revoke.mutate({ id: token.id }, { onSuccess: () => toast.success(t("feedback.tokenRevoked", { label: token.label })) });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const shopCodes = form.shops.split(/[\s,，]+/).filter(Boolean);
    create.mutate({ side: form.side, label: form.label.trim(), shopCodes });
  }

  return (
    <div className="space-y-4">
      {dialog}
      <Card title={t("admin.newToken")}>
        <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
          <Field label={t("exchange.side")}>
            <select value={form.side} onChange={(event) => setForm({ ...form, side: event.target.value as "pos" | "oms" })} className={inputClass}>
              <option value="pos">POS</option>
              <option value="oms">OMS</option>
            </select>
          </Field>
          <Field label={t("admin.label")}>
            <input required value={form.label} onChange={(event) => setForm({ ...form, label: event.target.value })} className={inputClass} />
          </Field>
          <Field label={t("admin.shops")}>
            <input
              value={form.shops}
              placeholder={t("admin.allShops")}
              onChange={(event) => setForm({ ...form, shops: event.target.value })}
              className={inputClass}
            />
          </Field>
          <Button tone="primary" type="submit" disabled={create.isPending}>
            {t("admin.create")}
          </Button>
        </form>
        <ErrorNote error={create.error} />
        {shown && (
          <div role="alert" className="mt-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm">
            <p className="font-medium">{t("admin.tokenShownOnce", { side: sideName(shown.side, locale) })}</p>
            <code data-testid="new-token" className="mt-1 block font-mono break-all select-all">
              {shown.token}
            </code>
            <div className="mt-2 flex gap-2">
              <CopyButton text={shown.token} />
              <Button onClick={() => setShown(null)}>{t("common.close")}</Button>
            </div>
          </div>
        )}
      </Card>
      <Card title={t("admin.tokens")}>
        <ErrorNote error={tokens.error ?? revoke.error} />
        {tokens.data && (
          <p className="mb-2 text-xs text-slate-500">
            {t("admin.bootstrapTokens")}: {term("posToken", locale)} {tokens.data.bootstrap.pos ? t("settings.set") : t("settings.notSet")}{" "}
            <span className="font-mono text-[10px]">HUB_POS_TOKEN</span> · {term("omsToken", locale)}{" "}
            {tokens.data.bootstrap.oms ? t("settings.set") : t("settings.notSet")} <span className="font-mono text-[10px]">HUB_OMS_TOKEN</span>
          </p>
        )}
        <Table head={["#", t("exchange.side"), t("admin.label"), t("admin.shops"), t("admin.createdBy"), t("notice.createdAt"), t("admin.lastUsed"), t("admin.state"), ""]}>
          {tokens.data?.stored.map((token) => (
            <tr key={token.id}>
              <Td>{token.id}</Td>
              <Td>{sideName(token.side, locale)}</Td>
              <Td>{token.label}</Td>
              <Td className="font-mono">{token.shopCodes?.join(", ") ?? t("admin.allShops")}</Td>
              <Td>{token.createdBy}</Td>
              <Td>{time(token.createdAt)}</Td>
              <Td>{time(token.lastUsedAt)}</Td>
              <Td>{token.revokedAt ? <Badge tone="red">{t("admin.revokedAt", { at: time(token.revokedAt) })}</Badge> : <Badge tone="green">{t("admin.active")}</Badge>}</Td>
              <Td>
                {!token.revokedAt && (
                  <Button tone="danger" onClick={() => void revokeToken(token)}>
                    {t("admin.revoke")}
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}
