import type { Role } from "@/lib/states";

/**
 * Where a person lands after signing in: ops (operators, admins) on Problems,
 * what needs them (issue 11); customer service (viewers) on the search.
 */
export function landingPathFor(role: Role | undefined): string {
  return role === "operator" || role === "admin" ? "/problems" : "/search";
}
