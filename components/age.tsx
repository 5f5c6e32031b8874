"use client";

import { useSyncExternalStore } from "react";
import { useI18n } from "@/lib/i18n/client";
import { formatAge } from "@/lib/i18n/format";

// One clock for every age on the page, ticking every 15 s so "3 min ago" keeps up
// without the lists being refetched.
const TICK_MS = 15_000;
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const notify of listeners) notify();
  }, TICK_MS);
  now = Date.now();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * How long ago `at` was ("3 分钟前", "昨天"), in the reader's language and zone.
 * Rendered in the browser only: the server's clock differs from the reader's by
 * the time the page travels, and a text that differs fails hydration (React
 * error #418, issue 12). The server sends nothing in its place.
 */
export function Age({ at, inline = false }: { at: Date | null | undefined; /** In brackets, in the text's own style. */ inline?: boolean }) {
  const { locale, timeZone } = useI18n();
  const clock = useSyncExternalStore(subscribe, () => now, () => null);
  if (clock === null || !at) return null;
  const age = formatAge(at, locale, timeZone, clock);
  return inline ? <span>({age})</span> : <span className="text-xs text-slate-500">{age}</span>;
}
