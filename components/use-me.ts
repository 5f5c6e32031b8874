"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";

/** The signed-in user, to decide which buttons to show; the procedures decide what is allowed. */
export function useMe() {
  const trpc = useTRPC();
  const me = useQuery(trpc.admin.me.queryOptions()).data;
  return { me, canAct: me?.role === "operator" || me?.role === "admin", isAdmin: me?.role === "admin" };
}
