/**
 * The one "count up to" rule (issue 13): the deliveries page's queue counts and
 * the dashboard lists' totals (search, exchange log, attempts) are exact up to
 * this many rows and say "more" beyond. An exact count of a million delivered
 * rows would read them all on every refresh; "10,000+" is all a person needs.
 */
export const COUNT_BOUND = 10_000;

/** A bounded count as the pages show it: "10,000+" past COUNT_BOUND (a count of COUNT_BOUND + 1 means "more"). */
export function formatBoundedCount(count: number): string {
  return count > COUNT_BOUND ? `${COUNT_BOUND.toLocaleString("en-US")}+` : count.toLocaleString("en-US");
}
