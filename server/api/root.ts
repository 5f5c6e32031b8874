import { adminRouter } from "@/server/api/routers/admin";
import { alertsRouter } from "@/server/api/routers/alerts";
import { deliveriesRouter } from "@/server/api/routers/deliveries";
import { liveRouter } from "@/server/api/routers/live";
import { logsRouter } from "@/server/api/routers/logs";
import { noticesRouter } from "@/server/api/routers/notices";
import { problemsRouter } from "@/server/api/routers/problems";
import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";

export const appRouter = createTRPCRouter({
  notices: noticesRouter,
  deliveries: deliveriesRouter,
  logs: logsRouter,
  problems: problemsRouter,
  admin: adminRouter,
  alerts: alertsRouter,
  live: liveRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
