"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useRef } from "react";
import { queryKeysFor } from "@/components/live/live-queries";
import { useTRPC } from "@/trpc/react";

/**
 * Keeps the open page current without polling (issue 12): one SSE stream per
 * tab (tRPC subscription live.changes) names what changed; the queries showing
 * it (live-queries.ts) are refetched if on screen. After the stream was cut and
 * came back, changes may have been missed: everything on screen is refetched.
 * Renders nothing; mounted once in the dashboard layout.
 */
export function LiveUpdates() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const subscription = useSubscription(
    trpc.live.changes.subscriptionOptions(undefined, {
      onData(topics) {
        for (const queryKey of queryKeysFor(topics)) void queryClient.invalidateQueries({ queryKey });
      },
    }),
  );
  const wasCut = useRef(false);
  useEffect(() => {
    if (subscription.status === "connecting" && subscription.error) wasCut.current = true;
    if (subscription.status === "pending" && wasCut.current) {
      wasCut.current = false;
      void queryClient.invalidateQueries();
    }
  }, [subscription.status, subscription.error, queryClient]);
  return null;
}
