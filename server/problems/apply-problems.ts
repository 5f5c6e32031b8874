import { and, asc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { deliveries } from "@/db/schema/deliveries";
import { problems } from "@/db/schema/problems";
import { openDeliveryStates } from "@/lib/states";
import {
  nextProblemState,
  problemKeyString,
  staysInProblem,
  type ProblemChange,
  type ProblemKey,
} from "@/server/problems/problem-rules";

/** NOTIFY channel: payload `<problem id>:opened|resolved`, sent at commit, for the alert sender not to wait for its poll. */
export const PROBLEM_CHANNEL = "hub_problem_changed";

/** What happened to one delivery in the calling transaction, for its problem. */
export type DeliveryProblemChange = {
  deliveryId: number;
  /** deliveries.problem_id before the change (null: in none). */
  problemIdBefore: number | null;
  /** It failed (again) in a way that puts it in a problem: the key, and the error to show as the example. */
  failure?: { key: ProblemKey; error: string };
};

/**
 * The problems some deliveries are in, built once (db/prepared-in-transaction.ts): a void's cancel, on a
 * partner call's path, runs it. The ids, any number, travel as one JSON array (one parameter, not one each).
 */
const problemsOfDeliveries = preparedInTransaction("problems_of_deliveries", (db) =>
  db
    .selectDistinct({ problemId: deliveries.problemId })
    .from(deliveries)
    .where(
      and(
        inArray(deliveries.id, sql`(select value::bigint from jsonb_array_elements_text(${sql.placeholder("ids")}::jsonb))`),
        sql`${deliveries.problemId} is not null`,
      ),
    ),
);

export type ProblemTransition = { problemId: number; change: Exclude<ProblemChange, null> };

/**
 * Applies the problem rule (problem-rules.ts) for deliveries the caller just
 * changed, inside the caller's transaction `tx`, after the deliveries rows are
 * updated (and locked) by it: a failure puts the delivery in the problem of its
 * key (created when new, moved from another when its kind changed); then each
 * touched problem's open deliveries are counted again and its state follows.
 * Problem rows are locked in id order after the delivery rows, and their
 * deliveries counted in a statement of its own once the locks are held, so
 * concurrent workers never count each other's uncommitted changes away.
 * Returns the problems that opened or resolved (also sent on PROBLEM_CHANNEL).
 */
export async function applyProblemChanges(tx: Db, changes: DeliveryProblemChange[], now: Date): Promise<ProblemTransition[]> {
  if (changes.length === 0) return [];
  // A delivery failing again keeps its problem unless the rule says it moves
  // (staysInProblem). A problem's kind never changes, so it is read unlocked.
  const beforeIds = [...new Set(changes.flatMap((change) => (change.problemIdBefore === null ? [] : [change.problemIdBefore])))];
  const kindOf = new Map(
    beforeIds.length === 0
      ? []
      : (await tx.select({ id: problems.id, failureKind: problems.failureKind }).from(problems).where(inArray(problems.id, beforeIds))).map(
          (row) => [row.id, row.failureKind] as const,
        ),
  );
  const stays = (change: DeliveryProblemChange) =>
    change.problemIdBefore !== null &&
    kindOf.has(change.problemIdBefore) &&
    staysInProblem({ currentKind: kindOf.get(change.problemIdBefore)!, newKind: change.failure!.key.failureKind });

  const keys = new Map<string, ProblemKey>();
  for (const change of changes) if (change.failure && !stays(change)) keys.set(problemKeyString(change.failure.key), change.failure.key);
  const sortedKeys = [...keys.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, key]) => key);

  const created = new Set<number>();
  if (sortedKeys.length > 0) {
    const inserted = await tx
      .insert(problems)
      .values(sortedKeys.map((key) => ({ ...key, firstSeenAt: now, lastSeenAt: now, openedAt: now, updatedAt: now })))
      .onConflictDoNothing({ target: [problems.side, problems.path, problems.failureKind, problems.msg] })
      .returning({ id: problems.id });
    for (const row of inserted) created.add(row.id);
  }

  const before = changes.flatMap((change) => (change.problemIdBefore === null ? [] : [change.problemIdBefore]));
  const keyConditions: SQL[] = sortedKeys.map(
    (key) =>
      and(
        eq(problems.side, key.side),
        eq(problems.path, key.path),
        eq(problems.failureKind, key.failureKind),
        eq(problems.msg, key.msg),
      )!,
  );
  const locked = await tx
    .select()
    .from(problems)
    .where(or(before.length > 0 ? inArray(problems.id, before) : undefined, ...keyConditions))
    .orderBy(asc(problems.id))
    .for("update");
  const idByKey = new Map(
    locked.map((row) => [problemKeyString({ side: row.side, path: row.path, failureKind: row.failureKind as ProblemKey["failureKind"], msg: row.msg }), row.id]),
  );

  // Who moves into which problem, and the newest failure of each as its example.
  const joining = new Map<number, number[]>();
  const example = new Map<number, { deliveryId: number; error: string }>();
  for (const change of changes) {
    if (!change.failure) continue;
    const problemId = stays(change) ? change.problemIdBefore! : idByKey.get(problemKeyString(change.failure.key))!;
    example.set(problemId, { deliveryId: change.deliveryId, error: change.failure.error });
    if (problemId !== change.problemIdBefore) joining.set(problemId, [...(joining.get(problemId) ?? []), change.deliveryId]);
  }
  for (const [problemId, ids] of joining) {
    await tx.update(deliveries).set({ problemId }).where(inArray(deliveries.id, ids));
  }

  const openCounts = new Map<number, number>();
  const counted = await tx
    .select({ problemId: deliveries.problemId, n: sql<number>`count(*)::int` })
    .from(deliveries)
    .where(and(inArray(deliveries.problemId, locked.map((row) => row.id)), inArray(deliveries.state, [...openDeliveryStates])))
    .groupBy(deliveries.problemId);
  for (const row of counted) openCounts.set(row.problemId!, Number(row.n));

  const transitions: ProblemTransition[] = [];
  for (const problem of locked) {
    const openCount = openCounts.get(problem.id) ?? 0;
    const next = nextProblemState({ state: problem.state, openCount });
    const change: ProblemChange = created.has(problem.id) && openCount > 0 ? "opened" : next.change;
    const seen = example.get(problem.id);
    await tx
      .update(problems)
      .set({
        state: next.state,
        openCount,
        totalCount: sql`${problems.totalCount} + ${joining.get(problem.id)?.length ?? 0}`,
        ...(seen ? { lastSeenAt: now, exampleDeliveryId: seen.deliveryId, exampleError: seen.error } : {}),
        ...(change === "opened" ? { openedAt: now, resolvedAt: null } : {}),
        ...(change === "opened" && !created.has(problem.id) ? { acknowledgedBy: null, acknowledgedAt: null } : {}),
        ...(change === "resolved" ? { resolvedAt: now } : {}),
        updatedAt: now,
      })
      .where(eq(problems.id, problem.id));
    if (change) {
      transitions.push({ problemId: problem.id, change });
      await tx.execute(sql`select pg_notify(${PROBLEM_CHANNEL}, ${`${problem.id}:${change}`})`);
    }
  }
  return transitions;
}

/**
 * For callers that changed deliveries without a failure (a person's action, a
 * void's cancel): reads which problems they were in, then applies the rule.
 * Call inside the same transaction, after the update.
 */
export async function recountProblemsOf(tx: Db, deliveryIds: number[], now: Date): Promise<ProblemTransition[]> {
  if (deliveryIds.length === 0) return [];
  const rows = await problemsOfDeliveries.run(tx, { ids: JSON.stringify(deliveryIds) });
  return applyProblemChanges(
    tx,
    rows.map((row) => ({ deliveryId: 0, problemIdBefore: row.problemId! })),
    now,
  );
}
