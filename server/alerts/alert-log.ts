import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { alertAudit, alertChannels, alertConditions, alertSends } from "@/db/schema/alerts";
import { alertSendKinds } from "@/lib/states";
import { alertSendStates } from "@/lib/states";

export const sendLogSchema = z.object({
  channelId: z.number().int().positive().optional(),
  state: z.enum(alertSendStates).optional(),
  kind: z.enum(alertSendKinds).optional(),
  /** Keyset paging: rows with a smaller id than this. */
  beforeId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** The alert-send log, newest first: every message to every channel, with its attempts and last error. */
export async function listAlertSends(db: Db, params: z.input<typeof sendLogSchema>) {
  const input = sendLogSchema.parse(params);
  const filters: SQL[] = [];
  if (input.channelId) filters.push(eq(alertSends.channelId, input.channelId));
  if (input.state) filters.push(eq(alertSends.state, input.state));
  if (input.kind) filters.push(eq(alertSends.kind, input.kind));
  if (input.beforeId) filters.push(lt(alertSends.id, input.beforeId));
  return db
    .select({
      id: alertSends.id,
      channelId: alertSends.channelId,
      channelName: alertChannels.name,
      channelKind: alertChannels.kind,
      kind: alertSends.kind,
      state: alertSends.state,
      title: alertSends.title,
      link: alertConditions.details,
      attempts: alertSends.attempts,
      nextAttemptAt: alertSends.nextAttemptAt,
      lastAttemptAt: alertSends.lastAttemptAt,
      lastError: alertSends.lastError,
      lastStatus: alertSends.lastStatus,
      requestedBy: alertSends.requestedBy,
      createdAt: alertSends.createdAt,
      finishedAt: alertSends.finishedAt,
      rule: alertConditions.rule,
    })
    .from(alertSends)
    .innerJoin(alertChannels, eq(alertChannels.id, alertSends.channelId))
    .leftJoin(alertConditions, eq(alertConditions.id, alertSends.conditionId))
    .where(and(...filters))
    .orderBy(desc(alertSends.id))
    .limit(input.limit)
    .then((rows) => rows.map(({ link, ...row }) => ({ ...row, linkPath: link?.linkPath ?? null })));
}

/** Who changed which channel or rule, newest first (secrets appear masked only). */
export async function listAlertAudit(db: Db, limit = 100) {
  return db.select().from(alertAudit).orderBy(desc(alertAudit.id)).limit(limit);
}
