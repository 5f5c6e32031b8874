import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { problems } from "@/db/schema/problems";
import { HubError } from "@/server/errors";
import { safeDate } from "@/server/input-guard";
import { keysetPage, olderThan } from "@/server/dashboard/keyset";
import { activeProblemStates, partnerSides, problemStates } from "@/lib/states";
import { problemListViews } from "@/lib/problem-list-views";

export const problemListSchema = z.object({
  view: z.enum(problemListViews).default("active"),
  side: z.enum(partnerSides).optional(),
  /** The nextCursor of the page before (keyset, server/dashboard/keyset.ts). */
  cursor: z.object({ at: safeDate(), id: z.number().int().positive() }).optional(),
  pageSize: z.number().int().min(1).max(200).default(50),
});

/** One page of problems in a view, the one that failed last first; `nextCursor` asks for the next (null on the last). */
export async function listProblems(db: Db, params: z.input<typeof problemListSchema>) {
  const { view, side, cursor, pageSize } = problemListSchema.parse(params);
  const states = view === "all" ? undefined : view === "active" ? [...activeProblemStates] : [view];
  const rows = await db
    .select()
    .from(problems)
    .where(
      and(
        states ? inArray(problems.state, states) : undefined,
        side ? eq(problems.side, side) : undefined,
        olderThan(problems.lastSeenAt, problems.id, cursor),
      ),
    )
    .orderBy(desc(problems.lastSeenAt), desc(problems.id))
    .limit(pageSize + 1);
  return { ...keysetPage(rows, pageSize, (row) => ({ at: row.lastSeenAt, id: row.id })), pageSize };
}

/** How many problems are in each view's states, for the tabs. */
export async function countProblems(db: Db) {
  const rows = await db
    .select({ state: problems.state, n: sql<number>`count(*)`.mapWith(Number) })
    .from(problems)
    .groupBy(problems.state);
  const byState = Object.fromEntries(problemStates.map((state) => [state, rows.find((row) => row.state === state)?.n ?? 0]));
  return {
    ...byState,
    active: activeProblemStates.reduce((sum, state) => sum + (byState[state] ?? 0), 0),
    all: rows.reduce((sum, row) => sum + row.n, 0),
  } as Record<(typeof problemListViews)[number], number>;
}

/** One problem. @throws HubError not_found. */
export async function getProblem(db: Db, id: number) {
  const [row] = await db.select().from(problems).where(eq(problems.id, id));
  if (!row) throw new HubError("not_found", `问题不存在 (no problem #${id})`);
  return row;
}
