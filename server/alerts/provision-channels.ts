import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alertAudit, alertChannels } from "@/db/schema/alerts";
import { defaultChannelRules } from "@/lib/alert-rule-kinds";
import { channelKinds } from "@/lib/alert-channel-kinds";
import { environmentChannels, summarizeSettings, type EnvChannelConfig } from "@/server/alerts/channels";

// Any constant: instances starting together provision one row per kind.
const PROVISION_LOCK = 728_133_011;

/**
 * Mirrors the channels set by environment variables (ALERT_WECOM_WEBHOOK_URL …)
 * into alert_channels, source "env": on, with the default rules, read-only in
 * admin, their secrets never stored (read from the environment when sending).
 * A kind no longer configured is removed; configured again, it comes back.
 */
export async function provisionEnvironmentChannels(db: Db, env: EnvChannelConfig): Promise<void> {
  const wanted = new Map(environmentChannels(env).map((channel) => [channel.kind, channel]));
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PROVISION_LOCK})`);
    const existing = await tx.select().from(alertChannels).where(eq(alertChannels.source, "env"));
    for (const kind of channelKinds) {
      const row = existing.find((channel) => channel.kind === kind);
      const channel = wanted.get(kind);
      if (channel) {
        const summary = summarizeSettings(channel.settings);
        if (!row) {
          await tx.insert(alertChannels).values({
            kind,
            name: channel.name,
            source: "env",
            enabled: true,
            rules: defaultChannelRules,
            summary,
            createdBy: "environment",
            updatedBy: "environment",
          });
          await tx.insert(alertAudit).values({ actor: "environment", entity: "channel", entityKey: `env:${kind}`, action: "provision", after: { summary } });
        } else if (row.removedAt || JSON.stringify(row.summary) !== JSON.stringify(summary) || !row.enabled) {
          await tx
            .update(alertChannels)
            .set({ removedAt: null, enabled: true, summary, updatedAt: new Date(), updatedBy: "environment" })
            .where(eq(alertChannels.id, row.id));
          await tx.insert(alertAudit).values({ actor: "environment", entity: "channel", entityKey: `env:${kind}`, action: "provision", before: { summary: row.summary }, after: { summary } });
        }
      } else if (row && !row.removedAt) {
        await tx.update(alertChannels).set({ removedAt: new Date(), enabled: false, updatedBy: "environment" }).where(and(eq(alertChannels.id, row.id)));
        await tx.insert(alertAudit).values({ actor: "environment", entity: "channel", entityKey: `env:${kind}`, action: "remove", before: { summary: row.summary } });
      }
    }
  });
}
