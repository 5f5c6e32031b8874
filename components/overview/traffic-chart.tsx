"use client";

import { useI18n } from "@/lib/i18n/client";

export type Bucket = { at: number; total: number; failed: number };

const WIDTH = 800;
const HEIGHT = 220;
const PAD = { left: 40, right: 44, top: 10, bottom: 28 };

/** Volume as bars (failures in red at the bottom), failure rate as a line on the right axis. Drawn by hand: no chart library. */
export function TrafficChart({ buckets, unit }: { buckets: Bucket[]; unit: BucketUnit }) {
  const { t, time } = useI18n();
  const max = Math.max(1, ...buckets.map((bucket) => bucket.total));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const step = plotWidth / Math.max(1, buckets.length);
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  const rateY = (rate: number) => PAD.top + plotHeight - rate * plotHeight;
  const x = (index: number) => PAD.left + index * step;
  const ratePoints = buckets
    .map((bucket, index) => (bucket.total > 0 ? `${x(index) + step / 2},${rateY(bucket.failed / bucket.total)}` : null))
    .filter(Boolean)
    .join(" ");
  const label = (at: number) => (unit !== "day" ? time(new Date(at)).slice(11, 16) : time(new Date(at)).slice(5, 10));
  const labelEvery = Math.ceil(buckets.length / 8);

  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="w-full" role="img" aria-label={t("overview.chartLabel")}>
      {[0, 0.5, 1].map((fraction) => (
        <g key={fraction}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={rateY(fraction)} y2={rateY(fraction)} stroke="#e2e8f0" />
          <text x={PAD.left - 4} y={rateY(fraction) + 4} textAnchor="end" fontSize="10" fill="#64748b">
            {Math.round(max * fraction)}
          </text>
          <text x={WIDTH - PAD.right + 4} y={rateY(fraction) + 4} fontSize="10" fill="#b91c1c">
            {Math.round(fraction * 100)}%
          </text>
        </g>
      ))}
      {buckets.map((bucket, index) => (
        <g key={bucket.at}>
          <title>{`${time(new Date(bucket.at))} · ${t("overview.volume")} ${bucket.total} · ${t("overview.failed")} ${bucket.failed}`}</title>
          <rect x={x(index) + 1} y={y(bucket.total)} width={Math.max(1, step - 2)} height={y(0) - y(bucket.total)} fill="#93c5fd" />
          <rect x={x(index) + 1} y={y(bucket.failed)} width={Math.max(1, step - 2)} height={y(0) - y(bucket.failed)} fill="#f87171" />
          {index % labelEvery === 0 && (
            <text x={x(index) + step / 2} y={HEIGHT - 10} textAnchor="middle" fontSize="10" fill="#64748b">
              {label(bucket.at)}
            </text>
          )}
        </g>
      ))}
      {ratePoints && <polyline points={ratePoints} fill="none" stroke="#b91c1c" strokeWidth="1.5" />}
    </svg>
  );
}

export type BucketUnit = "minute" | "hour" | "day";

const MINUTE = 60_000;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
// Asia/Shanghai has no daylight saving: its day starts at 16:00 UTC.
const SHANGHAI_OFFSET = 8 * HOUR;

/** Every bucket of the range, empty ones included, so gaps show as gaps. */
export function fillBuckets(rows: { bucket: Date; total: number; failed: number }[], since: Date, until: Date, unit: BucketUnit): Bucket[] {
  const size = unit === "minute" ? MINUTE : unit === "hour" ? HOUR : DAY;
  const floor = (ms: number) => Math.floor((ms + SHANGHAI_OFFSET) / size) * size - SHANGHAI_OFFSET;
  const byStart = new Map<number, Bucket>();
  for (let at = floor(since.getTime()); at <= until.getTime(); at += size) byStart.set(at, { at, total: 0, failed: 0 });
  for (const row of rows) {
    const bucket = byStart.get(row.bucket.getTime());
    if (!bucket) continue;
    bucket.total += row.total;
    bucket.failed += row.failed;
  }
  return [...byStart.values()];
}
