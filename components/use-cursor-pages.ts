"use client";

import { useState } from "react";

/**
 * Paging through a keyset list (server/dashboard/keyset.ts): the cursor of
 * every page shown so far, so "previous" goes back without the server keeping
 * anything. `page` is 0-based; `reset()` when the filters change.
 */
export function useCursorPages<C>() {
  const [cursors, setCursors] = useState<C[]>([]);
  return {
    cursor: cursors.at(-1),
    page: cursors.length,
    next: (cursor: C) => setCursors([...cursors, cursor]),
    previous: () => setCursors(cursors.slice(0, -1)),
    reset: () => setCursors([]),
  };
}
