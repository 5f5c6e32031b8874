"use client";

import { Toaster as Sonner } from "sonner";

/**
 * Where every action's outcome appears (sonner: stacked, dismissible,
 * announced to screen readers through an aria-live region). Mounted once, in
 * the dashboard layout; pages call `toast` from "sonner".
 */
export function Toaster() {
  return <Sonner position="top-right" richColors closeButton duration={6000} />;
}
