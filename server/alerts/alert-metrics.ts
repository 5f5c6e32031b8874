import { Counter, hubMetrics, metricOnce, metricsOn } from "@/server/metrics";
import type { ChannelKind } from "@/lib/alert-channel-kinds";

/** How one attempt at an alert message ended: sent, to be retried, or given up (failed). */
export type SendResult = "sent" | "retried" | "failed";

const SENDS = "hub_alert_sends_total";

function sends() {
  return metricOnce(
    SENDS,
    () =>
      new Counter({
        name: SENDS,
        help: "Alert messages handed to a channel, by channel kind (wecom, dingtalk, feishu, email, webhook) and outcome (sent, retried, failed); test messages included.",
        labelNames: ["channel", "outcome"] as const,
        registers: [hubMetrics().registry],
      }),
  );
}

/** Registers the series at start-up, so a scrape shows it (at 0) before the first alert. */
export function registerAlertMetrics(): void {
  sends();
}

/** Counts one attempt at sending an alert (server/metrics.ts: labels are the channel's kind, never its id). */
export function countAlertSend(channel: ChannelKind, outcome: SendResult): void {
  if (!metricsOn()) return;
  sends().inc({ channel, outcome });
}

/** The counter's current value for a channel kind and outcome (tests, and the admin pages if they want it). */
export async function alertSendCount(channel: ChannelKind, outcome: SendResult): Promise<number> {
  const { values } = await sends().get();
  return values.find((value) => value.labels.channel === channel && value.labels.outcome === outcome)?.value ?? 0;
}
