import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alertChannels, alertConditions, alertRules, alertSends } from "@/db/schema/alerts";
import type { ConditionDetails } from "@/db/schema/alerts";
import type { AlertSendKind } from "@/lib/states";
import { composeAlertMessage } from "@/server/alerts/alert-message";
import { evaluateRules, problemDetails, type ProblemFact } from "@/server/alerts/alert-rules";
import { ruleSettings } from "@/server/alerts/rule-settings";
import { gatherFacts } from "@/server/alerts/gather-facts";
import { reconcileConditions, type OpenCondition } from "@/server/alerts/reconcile-conditions";

// Any constant: one instance evaluates at a time; the others skip that round.
const EVALUATE_LOCK = 728_133_012;

export type EvaluationResult = { evaluated: boolean; queued: Record<AlertSendKind, number> };

/**
 * One round of the alert rules: reads the facts, compares them with the open
 * conditions, opens / refreshes / resolves conditions and queues one message
 * per (condition change, subscribed channel) in alert_sends — all in one
 * transaction under an advisory lock, so two instances never queue the same
 * alert twice (a second instance finds the lock taken and skips the round).
 * @param input.now the evaluation instant (an injected clock in tests).
 * @param input.publicUrl HUB_PUBLIC_URL, for the links in the messages.
 */
export async function evaluateAlerts(
  db: Db,
  input: { now: Date; publicUrl?: string; readProblems: (db: Db) => Promise<ProblemFact[]> },
): Promise<EvaluationResult> {
  const queued: Record<AlertSendKind, number> = { opened: 0, reminder: 0, resolved: 0, test: 0 };
  const evaluated = await db.transaction(async (tx) => {
    const [lock] = rowsOf<{ locked: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${EVALUATE_LOCK}) as locked`));
    if (!lock?.locked) return false;
    const { now } = input;
    const settings = ruleSettings(await tx.select().from(alertRules));
    const facts = await gatherFacts(tx, now, input.readProblems);
    const { firing, silenced } = evaluateRules(facts, settings);
    const open: OpenCondition[] = await tx.select().from(alertConditions).where(isNull(alertConditions.resolvedAt));
    const plan = reconcileConditions({ open, firing, silenced, settings, now });

    const channels = await tx
      .select({ id: alertChannels.id, rules: alertChannels.rules })
      .from(alertChannels)
      .where(and(eq(alertChannels.enabled, true), isNull(alertChannels.removedAt)));
    const queue = async (conditionId: number, rule: string, kind: AlertSendKind, details: ConditionDetails, openedAt: Date) => {
      const targets = channels.filter((channel) => channel.rules.includes(rule));
      if (!targets.length) return;
      const message = composeAlertMessage({ kind, details, openedAt, now, publicUrl: input.publicUrl });
      await tx.insert(alertSends).values(
        targets.map((channel) => ({ channelId: channel.id, conditionId, kind, title: message.title, message, nextAttemptAt: now, createdAt: now })),
      );
      queued[kind] += targets.length;
    };

    for (const item of plan.open) {
      const [condition] = await tx
        .insert(alertConditions)
        .values({ rule: item.rule, subject: item.subject, problemId: item.problemId, details: item.details, openedAt: now })
        .returning({ id: alertConditions.id });
      await queue(condition!.id, item.rule, "opened", item.details, now);
    }
    for (const { condition, details, remind } of plan.keep) {
      await tx
        .update(alertConditions)
        .set({ details, ...(remind ? { lastRemindedAt: now } : {}) })
        .where(eq(alertConditions.id, condition.id));
      if (remind) await queue(condition.id, condition.rule, "reminder", details, condition.openedAt);
    }
    // A problem's recovery message gives its counts as they are now (0 left open), not as last seen while it failed.
    const problemsNow = new Map(facts.problems.map((problem) => [`problem:${problem.id}`, problem]));
    for (const condition of plan.resolve) {
      const problem = problemsNow.get(condition.subject);
      const details = problem ? problemDetails(problem) : condition.details;
      await tx.update(alertConditions).set({ resolvedAt: now, details }).where(eq(alertConditions.id, condition.id));
      await queue(condition.id, condition.rule, "resolved", details, condition.openedAt);
    }
    if (plan.closeSilently.length) {
      await tx
        .update(alertConditions)
        .set({ resolvedAt: now, closedSilently: true })
        .where(inArray(alertConditions.id, plan.closeSilently.map((condition) => condition.id)));
    }
    return true;
  });
  return { evaluated, queued };
}

// postgres.js returns the rows as an array; PGlite as { rows }.
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

