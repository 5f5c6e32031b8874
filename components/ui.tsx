"use client";

import type { ButtonHTMLAttributes, ReactNode } from "react";

// Small building blocks shared by every page, so the screens look alike.

const BUTTON_TONES = {
  primary: "bg-blue-700 text-white hover:bg-blue-800 disabled:bg-blue-300",
  plain: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-100 disabled:text-slate-400",
  danger: "bg-red-700 text-white hover:bg-red-800 disabled:bg-red-300",
} as const;

export function Button({ tone = "plain", className = "", ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: keyof typeof BUTTON_TONES }) {
  return <button type="button" className={`rounded px-3 py-1.5 text-sm font-medium ${BUTTON_TONES[tone]} ${className}`} {...props} />;
}

export function Card({ title, actions, children, className = "" }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`rounded-lg border border-slate-200 bg-white p-4 shadow-sm ${className}`}>
      {(title || actions) && (
        <div className="mb-3 flex items-center justify-between gap-2">
          <h2 className="text-base font-semibold">{title}</h2>
          <div className="flex gap-2">{actions}</div>
        </div>
      )}
      {children}
    </section>
  );
}

const BADGE_TONES = {
  gray: "bg-slate-100 text-slate-700",
  green: "bg-emerald-100 text-emerald-800",
  blue: "bg-blue-100 text-blue-800",
  amber: "bg-amber-100 text-amber-900",
  red: "bg-red-100 text-red-800",
} as const;
export type BadgeTone = keyof typeof BADGE_TONES;

export function Badge({ tone = "gray", children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${BADGE_TONES[tone]}`}>{children}</span>;
}

const STATE_TONES: Record<string, BadgeTone> = {
  pending: "blue",
  partially_shipped: "blue",
  shipped: "green",
  delivered: "green",
  sent: "green",
  accepted: "green",
  duplicate: "gray",
  resolved: "gray",
  cancelled: "gray",
  oversold: "amber",
  voided: "gray",
  refused: "amber",
  queued: "blue",
  retrying: "amber",
  blocked: "amber",
  failed: "amber",
  timed_out: "red",
  rejected: "red",
  invalid: "red",
  unauthorized: "red",
  open: "red",
  acknowledged: "amber",
  muted: "gray",
};
export const toneOf = (state: string): BadgeTone => STATE_TONES[state] ?? "gray";

/** A partner's payload or answer, always as text: React escapes it, nothing is ever parsed as markup. */
export function TextBlock({ text, className = "" }: { text: string | null | undefined; className?: string }) {
  return (
    <pre className={`max-h-80 overflow-auto rounded bg-slate-900 p-2 text-xs whitespace-pre-wrap break-all text-slate-100 ${className}`}>
      {prettyJson(text ?? "")}
    </pre>
  );
}

/** Indents JSON for reading; anything else is shown exactly as it came. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function Field({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-1 text-xs text-slate-600">
      <span>{label}</span>
      {children}
    </label>
  );
}

export const inputClass = "rounded border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900";

export function Table({ head, children }: { head: ReactNode[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-sm">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs text-slate-500">
            {head.map((cell, i) => (
              <th key={i} className="px-2 py-1.5 font-medium whitespace-nowrap">
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, className = "", colSpan }: { children?: ReactNode; className?: string; colSpan?: number }) {
  return (
    <td colSpan={colSpan} className={`px-2 py-1.5 align-top ${className}`}>
      {children}
    </td>
  );
}

/** Previous / next page; `summary` (e.g. "共 120 条，3 页") where the list knows its total. */
export function Pager({
  page,
  hasMore,
  onPage,
  label,
  summary,
}: {
  page: number;
  hasMore: boolean;
  onPage: (page: number) => void;
  label: (page: number) => string;
  summary?: ReactNode;
}) {
  return (
    <div className="mt-3 flex items-center gap-2 text-sm">
      <Button disabled={page === 0} onClick={() => onPage(page - 1)}>
        ‹
      </Button>
      <span>{label(page + 1)}</span>
      <Button disabled={!hasMore} onClick={() => onPage(page + 1)}>
        ›
      </Button>
      {summary && (
        <span className="text-slate-500" data-testid="pager-summary">
          {summary}
        </span>
      )}
    </div>
  );
}

export function ErrorNote({ error }: { error: { message: string } | null | undefined }) {
  if (!error) return null;
  return <p className="rounded bg-red-50 p-2 text-sm text-red-800">{error.message}</p>;
}
