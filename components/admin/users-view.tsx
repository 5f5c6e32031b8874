"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useI18n } from "@/lib/i18n/client";
import { useConfirm } from "@/components/feedback/confirm-dialog";
import { toastFailure } from "@/components/feedback/action-toasts";
import { Badge, Button, Card, ErrorNote, Field, inputClass, Table, Td } from "@/components/ui";
import { useMe } from "@/components/use-me";
import { useTRPC } from "@/trpc/react";
import { roles, type Role } from "@/lib/states";
type User = { id: number; email: string; role: Role; disabledAt: Date | null };

/**
 * Users and roles. A role change and disabling a user ask first (a proper
 * dialog); every change ends with a toast saying what happened.
 */
export function UsersView() {
  const { t, time } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me } = useMe();
  const users = useQuery(trpc.admin.users.queryOptions());
  const [dialog, ask] = useConfirm();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.users.queryKey() });
  const failed = (error: { message: string }) => toastFailure(t, error);
  const create = useMutation(trpc.admin.createUser.mutationOptions({ onSuccess: refresh, onError: failed }));
  const update = useMutation(trpc.admin.updateUser.mutationOptions({ onSuccess: refresh, onError: failed }));
  const reset = useMutation(trpc.admin.resetPassword.mutationOptions({ onSuccess: refresh, onError: failed }));
  const [form, setForm] = useState({ email: "", name: "", password: "", role: "viewer" as Role });

  function submit(event: FormEvent) {
    event.preventDefault();
    const email = form.email.trim();
    create.mutate(
      { email, name: form.name.trim() || undefined, password: form.password, role: form.role },
      {
        onSuccess: () => {
          setForm({ email: "", name: "", password: "", role: "viewer" });
          toast.success(t("feedback.userCreated", { email }));
        },
      },
    );
  }

  async function changeRole(user: User, role: Role) {
    const from = t(`role.${user.role}`);
    const to = t(`role.${role}`);
    const yes = await ask({ title: t("feedback.roleConfirmTitle", { email: user.email }), body: t("feedback.roleConfirmBody", { from, to }), confirm: t("feedback.roleConfirm") });
    if (!yes) return;
    update.mutate({ id: user.id, role }, { onSuccess: () => toast.success(t("feedback.roleChanged", { email: user.email, role: to })) });
  }

  async function toggleDisabled(user: User) {
    if (user.disabledAt) {
      update.mutate({ id: user.id, disabled: false }, { onSuccess: () => toast.success(t("feedback.enabled", { email: user.email })) });
      return;
    }
    const yes = await ask({ title: t("feedback.disableTitle", { email: user.email }), body: t("feedback.disableBody"), confirm: t("admin.disable"), tone: "danger" });
    if (yes) update.mutate({ id: user.id, disabled: true }, { onSuccess: () => toast.success(t("feedback.disabled", { email: user.email })) });
  }

  async function resetPassword(user: User) {
    const yes = await ask({ title: t("feedback.resetTitle", { email: user.email }), body: t("admin.resetConfirm", { email: user.email }), confirm: t("admin.resetPassword"), tone: "danger" });
    if (yes) reset.mutate({ id: user.id }, { onSuccess: () => toast.success(t("feedback.passwordReset", { email: user.email })) });
  }

  return (
    <div className="space-y-4">
      {dialog}
      <Card title={t("admin.newUser")}>
        <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
          <Field label={t("admin.email")}>
            <input type="email" required value={form.email} onChange={(event) => setForm({ ...form, email: event.target.value })} className={inputClass} />
          </Field>
          <Field label={t("admin.name")}>
            <input value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} className={inputClass} />
          </Field>
          <Field label={t("admin.password")}>
            <input type="password" required minLength={8} value={form.password} onChange={(event) => setForm({ ...form, password: event.target.value })} className={inputClass} />
          </Field>
          <Field label={t("admin.role")}>
            <select value={form.role} onChange={(event) => setForm({ ...form, role: event.target.value as Role })} className={inputClass}>
              {roles.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}`)}
                </option>
              ))}
            </select>
          </Field>
          <Button tone="primary" type="submit" disabled={create.isPending}>
            {t("admin.create")}
          </Button>
        </form>
        <ErrorNote error={create.error} />
      </Card>
      <Card title={t("admin.users")}>
        <ErrorNote error={users.error ?? update.error ?? reset.error} />
        {reset.data && (
          // Shown once: the hub keeps only a hash, and the user must replace it at their next sign-in.
          <div role="status" className="mb-3 rounded bg-amber-50 p-3 text-sm text-amber-900">
            {t("admin.resetShownOnce", { email: reset.data.email })}{" "}
            <code data-testid="reset-password" className="rounded bg-white px-1 font-mono">
              {reset.data.password}
            </code>
          </div>
        )}
        <Table head={[t("admin.email"), t("admin.name"), t("admin.role"), t("admin.state"), t("admin.lastSignIn"), t("admin.createdBy"), ""]}>
          {users.data?.map((user) => (
            <tr key={user.id}>
              <Td>{user.email}</Td>
              <Td>{user.name}</Td>
              <Td>
                <select
                  aria-label={`${t("admin.role")} ${user.email}`}
                  value={user.role}
                  disabled={user.id === me?.id}
                  onChange={(event) => void changeRole(user, event.target.value as Role)}
                  className={inputClass}
                >
                  {roles.map((role) => (
                    <option key={role} value={role}>
                      {t(`role.${role}`)}
                    </option>
                  ))}
                </select>
              </Td>
              <Td>{user.disabledAt ? <Badge tone="red">{t("admin.disabled")}</Badge> : <Badge tone="green">{t("admin.active")}</Badge>}</Td>
              <Td>{time(user.lastSignInAt)}</Td>
              <Td>{user.createdBy}</Td>
              <Td>
                {user.id !== me?.id && (
                  <div className="flex gap-2">
                    <Button onClick={() => void toggleDisabled(user)}>
                      {user.disabledAt ? t("admin.enable") : t("admin.disable")}
                    </Button>
                    <Button
                      aria-label={`${t("admin.resetPassword")} ${user.email}`}
                      disabled={reset.isPending}
                      onClick={() => void resetPassword(user)}
                    >
                      {t("admin.resetPassword")}
                    </Button>
                  </div>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}
