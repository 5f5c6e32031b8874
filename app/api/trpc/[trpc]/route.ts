import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { auth } from "@/auth";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => createTRPCContext({ sessionUserId: (await auth())?.user?.id }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed`, error.cause ?? error);
    },
  });

export { handler as GET, handler as POST };
