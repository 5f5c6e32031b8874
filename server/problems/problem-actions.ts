import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { problems } from "@/db/schema/problems";
import { HubError } from "@/server/errors";
import type { ProblemState } from "@/lib/states";
import { problemStateAfterAction, type PersonProblemAction } from "@/server/problems/problem-rules";

/**
 * A person acknowledges ("someone is on it"), mutes (no alerts, no reopening)
 * or unmutes a problem (rule: problemStateAfterAction). Who did it and the note
 * stay on the problem (`acknowledged_by` / `acknowledged_at` name who last took
 * it in hand, either way); the deliveries' own actions are audited per delivery.
 * @throws HubError not_found (no such problem), conflict (the action does not apply to its state).
 */
export async function actOnProblem(
  db: Db,
  input: { id: number; action: PersonProblemAction; actor: string; note?: string },
  now = new Date(),
): Promise<{ state: ProblemState }> {
  return db.transaction(async (tx) => {
    const [problem] = await tx.select().from(problems).where(eq(problems.id, input.id)).for("update");
    if (!problem) throw new HubError("not_found", `问题不存在 (no problem #${input.id})`);
    const state = problemStateAfterAction({ state: problem.state, action: input.action, openCount: problem.openCount });
    await tx
      .update(problems)
      .set({
        state,
        acknowledgedBy: input.actor,
        acknowledgedAt: now,
        note: input.note?.trim() || problem.note,
        ...(state === "resolved" && problem.resolvedAt === null ? { resolvedAt: now } : {}),
        updatedAt: now,
      })
      .where(eq(problems.id, problem.id));
    return { state };
  });
}
