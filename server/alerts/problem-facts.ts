import { inArray, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alertConditions } from "@/db/schema/alerts";
import { problems } from "@/db/schema/problems";
import type { ProblemFact } from "@/server/alerts/alert-rules";
import { activeProblemStates } from "@/lib/states";

/**
 * The problems the delivery rules look at (server/problems keeps the table):
 * those open or acknowledged, and those an open alert condition still points
 * at, so a resolution or a mute is seen.
 */
export async function readProblemFacts(db: Db): Promise<ProblemFact[]> {
  return db
    .select({
      id: problems.id,
      side: problems.side,
      path: problems.path,
      failureKind: problems.failureKind,
      msg: problems.msg,
      state: problems.state,
      openCount: problems.openCount,
      totalCount: problems.totalCount,
      firstSeenAt: problems.firstSeenAt,
      lastSeenAt: problems.lastSeenAt,
      exampleError: problems.exampleError,
    })
    .from(problems)
    .where(
      or(
        inArray(problems.state, [...activeProblemStates]),
        sql`${problems.id} in (select ${alertConditions.problemId} from ${alertConditions} where ${alertConditions.resolvedAt} is null and ${alertConditions.problemId} is not null)`,
      ),
    );
}
