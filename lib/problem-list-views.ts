import { problemStates } from "@/lib/states";

/** The Problems page's tabs: `active` = open or acknowledged (what needs someone, the default), each state, all. */
export const problemListViews = ["active", ...problemStates, "all"] as const;
