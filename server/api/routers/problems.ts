import { z } from "zod";
import { createTRPCRouter, operatorProcedure, viewerProcedure } from "@/server/api/trpc";
import { listBlockingHeads } from "@/server/delivery/blocking-heads";
import { countProblems, getProblem, listProblems, problemListSchema } from "@/server/dashboard/list-problems";
import { actOnProblem } from "@/server/problems/problem-actions";
import { personProblemActions } from "@/server/problems/problem-rules";
import { partnerSides } from "@/lib/states";

const byId = z.object({ id: z.number().int().positive() });

/** Problems (SPEC §8) and the head-of-line list; the group actions on a problem's deliveries are deliveries.* with `{ filter: { problemId } }`. */
export const problemsRouter = createTRPCRouter({
  list: viewerProcedure.input(problemListSchema).query(({ ctx, input }) => listProblems(ctx.db, input)),
  counts: viewerProcedure.query(({ ctx }) => countProblems(ctx.db)),
  get: viewerProcedure.input(byId).query(({ ctx, input }) => getProblem(ctx.db, input.id)),
  blockingHeads: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(20), target: z.enum(partnerSides).optional(), path: z.string().max(64).optional() }))
    .query(({ ctx, input }) => listBlockingHeads(ctx.db, input)),
  act: operatorProcedure
    .input(byId.extend({ action: z.enum(personProblemActions), note: z.string().trim().max(2000).optional() }))
    .mutation(({ ctx, input }) => actOnProblem(ctx.db, { ...input, actor: ctx.user.email })),
});
