import { and, asc, count, eq, gt, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alertChannels, alertSends } from "@/db/schema/alerts";
import type { AlertMessage } from "@/db/schema/alerts";
import { testMessage } from "@/server/alerts/alert-message";
import { channelSettingsOf, type AlertChannel, type EnvChannelConfig } from "@/server/alerts/channels";
import { countAlertSend, type SendResult } from "@/server/alerts/alert-metrics";
import { sendToChannel, type SendOutcome } from "@/server/alerts/send-to-channel";
import { HubError } from "@/server/errors";

/** Waits before the 2nd, 3rd … attempt of a message; after the last one it is `failed`. */
export const SEND_BACKOFF_MS = [30_000, 120_000, 600_000, 1_800_000];
export const MAX_SEND_ATTEMPTS = SEND_BACKOFF_MS.length + 1;
const RATE_WINDOW_MS = 60_000;

export type ClaimedSend = typeof alertSends.$inferSelect & { channel: AlertChannel };

/**
 * Takes due messages to send, at most each channel's `rate_per_minute` in any
 * 60 s (counting attempts already made), in one transaction. Channel rows are
 * locked FOR UPDATE SKIP LOCKED while their budget is spent and messages FOR
 * UPDATE SKIP LOCKED, so several instances share the work and never exceed a
 * channel's rate together; a lease returns a message if its sender dies.
 */
export async function claimDueSends(db: Db, input: { now: Date; limit: number; leaseMs: number }): Promise<ClaimedSend[]> {
  const { now } = input;
  return db.transaction(async (tx) => {
    const due = and(eq(alertSends.state, "pending"), lte(alertSends.nextAttemptAt, now), or(isNull(alertSends.leaseUntil), lt(alertSends.leaseUntil, now)));
    const waiting = await tx.selectDistinct({ channelId: alertSends.channelId }).from(alertSends).where(due).limit(100);
    if (!waiting.length) return [];
    const channels = await tx
      .select()
      .from(alertChannels)
      .where(inArray(alertChannels.id, waiting.map((row) => row.channelId)))
      .for("update", { skipLocked: true });
    const claimed: ClaimedSend[] = [];
    for (const channel of channels) {
      if (claimed.length >= input.limit) break;
      const [recent] = await tx
        .select({ n: count() })
        .from(alertSends)
        .where(and(eq(alertSends.channelId, channel.id), gt(alertSends.lastAttemptAt, new Date(now.getTime() - RATE_WINDOW_MS))));
      const budget = Math.min(channel.ratePerMinute - (recent?.n ?? 0), input.limit - claimed.length);
      if (budget <= 0) continue;
      const ids = tx
        .select({ id: alertSends.id })
        .from(alertSends)
        .where(and(due, eq(alertSends.channelId, channel.id)))
        .orderBy(asc(alertSends.nextAttemptAt), asc(alertSends.id))
        .limit(budget)
        .for("update", { skipLocked: true });
      const rows = await tx
        .update(alertSends)
        .set({ leaseUntil: new Date(now.getTime() + input.leaseMs), attempts: sql`${alertSends.attempts} + 1`, lastAttemptAt: now })
        .where(inArray(alertSends.id, ids))
        .returning();
      claimed.push(...rows.map((row) => ({ ...row, channel })));
    }
    return claimed;
  });
}

/**
 * Records how an attempt went: sent; or due again after SEND_BACKOFF_MS; or,
 * after MAX_SEND_ATTEMPTS, failed. A removed or switched-off channel's message
 * is failed at once.
 */
export async function finishSend(db: Db, send: Pick<ClaimedSend, "id" | "attempts">, outcome: SendOutcome, now: Date): Promise<SendResult> {
  const result: SendResult = outcome.error === null ? "sent" : send.attempts >= MAX_SEND_ATTEMPTS ? "failed" : "retried";
  await db
    .update(alertSends)
    .set({
      state: result === "retried" ? "pending" : result,
      leaseUntil: null,
      lastError: outcome.error,
      lastStatus: outcome.status ?? null,
      nextAttemptAt: result === "retried" ? new Date(now.getTime() + SEND_BACKOFF_MS[send.attempts - 1]!) : undefined,
      finishedAt: result === "retried" ? null : now,
    })
    .where(eq(alertSends.id, send.id));
  return result;
}

/** Sends one claimed message and records the outcome. Never throws for a channel's failure. */
export async function deliverSend(db: Db, send: ClaimedSend, options: { now: Date; timeoutMs: number; env: EnvChannelConfig }) {
  let outcome: SendOutcome;
  if (!send.channel.enabled || send.channel.removedAt) {
    outcome = { error: "通道已停用或删除 (channel switched off or removed)" };
    await finishSend(db, { id: send.id, attempts: MAX_SEND_ATTEMPTS }, outcome, options.now);
    countAlertSend(send.channel.kind, "failed");
    return { outcome, result: "failed" as const };
  }
  try {
    const settings = channelSettingsOf(send.channel, options.env);
    outcome = await sendToChannel(send.channel.kind, settings, send.message, { timeoutMs: options.timeoutMs, now: options.now });
  } catch (error) {
    outcome = { error: error instanceof Error ? error.message : String(error) };
  }
  const result = await finishSend(db, send, outcome, options.now);
  countAlertSend(send.channel.kind, result);
  return { outcome, result };
}

/**
 * The admin's "send a test message": sends now (not through the queue, the
 * admin is waiting), records it in the send log, and returns the channel's
 * error for the page to show.
 * @throws HubError not_found.
 */
export async function testChannel(db: Db, input: { id: number; actor: string; now: Date; timeoutMs: number; env: EnvChannelConfig; publicUrl?: string }) {
  const [channel] = await db.select().from(alertChannels).where(and(eq(alertChannels.id, input.id), isNull(alertChannels.removedAt)));
  if (!channel) throw new HubError("not_found", `告警通道 ${input.id} 不存在 (no such channel)`);
  const message: AlertMessage = testMessage({ channelName: channel.name, actor: input.actor, now: input.now, publicUrl: input.publicUrl });
  let outcome: SendOutcome;
  try {
    outcome = await sendToChannel(channel.kind, channelSettingsOf(channel, input.env), message, { timeoutMs: input.timeoutMs, now: input.now });
  } catch (error) {
    outcome = { error: error instanceof Error ? error.message : String(error) };
  }
  countAlertSend(channel.kind, outcome.error === null ? "sent" : "failed");
  await db.insert(alertSends).values({
    channelId: channel.id,
    kind: "test",
    state: outcome.error === null ? "sent" : "failed",
    title: message.title,
    message,
    attempts: 1,
    lastAttemptAt: input.now,
    lastError: outcome.error,
    lastStatus: outcome.status ?? null,
    requestedBy: input.actor,
    createdAt: input.now,
    finishedAt: input.now,
  });
  return { ok: outcome.error === null, error: outcome.error };
}
