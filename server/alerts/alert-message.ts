/**
 * What an alert says, before any channel's format: a Chinese title, the facts
 * as label/value lines, the example error and the link to the page that shows
 * it. Kept plain so each channel (channel-requests.ts) renders it its own way.
 * Its shape (AlertMessage, ConditionDetails) is what the alert tables store: db/schema/alerts.ts.
 */
import type { AlertMessage, ConditionDetails } from "@/db/schema/alerts";
import type { AlertSendKind } from "@/lib/states";

const PREFIX: Record<AlertSendKind, string> = {
  opened: "【告警】",
  reminder: "【提醒·仍未解决】",
  resolved: "【已恢复】",
  test: "【测试】",
};

/** Longest example error quoted, in characters: the robots cap a message at 4 096 bytes (WeCom) to 20 000 (DingTalk). */
const EXAMPLE_MAX = 500;

/** Formats an instant as the ops read it: Asia/Shanghai, "2026-11-30 20:01:02". */
export function shanghaiTime(at: Date): string {
  return new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  }).format(at);
}

/** "35 分钟", "2 小时 5 分钟", "3 天 4 小时". */
export function chineseDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} 小时 ${minutes % 60} 分钟` : `${hours} 小时`;
  return hours % 24 ? `${Math.floor(hours / 24)} 天 ${hours % 24} 小时` : `${Math.floor(hours / 24)} 天`;
}

/** Joins the public base URL (HUB_PUBLIC_URL) and a dashboard path; no base → no link. */
export function absoluteLink(publicUrl: string | undefined, linkPath: string): string | undefined {
  if (!publicUrl) return undefined;
  return `${publicUrl.replace(/\/+$/, "")}${linkPath.startsWith("/") ? "" : "/"}${linkPath}`;
}

/**
 * The message for one send of a condition.
 * @param input.openedAt when the condition opened; reminders and resolutions say how long it lasted.
 * @param input.now the sending instant (injected for tests).
 */
export function composeAlertMessage(input: {
  kind: AlertSendKind;
  details: ConditionDetails;
  openedAt: Date;
  now: Date;
  publicUrl?: string;
}): AlertMessage {
  const { kind, details, openedAt, now } = input;
  const facts: [string, string][] = [...details.facts];
  if (kind === "opened") facts.push(["开始时间", shanghaiTime(openedAt)]);
  if (kind === "reminder") facts.push(["已持续", chineseDuration(now.getTime() - openedAt.getTime())]);
  if (kind === "resolved") {
    facts.push(["恢复时间", shanghaiTime(now)]);
    facts.push(["共持续", chineseDuration(now.getTime() - openedAt.getTime())]);
  }
  const example = details.example && kind !== "resolved" ? truncate(details.example, EXAMPLE_MAX) : undefined;
  return {
    kind,
    title: `${PREFIX[kind]}${details.title}`,
    facts,
    example,
    link: absoluteLink(input.publicUrl, details.linkPath),
    linkLabel: details.linkLabel ?? "查看详情",
  };
}

/** The "send a test message" button's message. */
export function testMessage(input: { channelName: string; actor: string; now: Date; publicUrl?: string }): AlertMessage {
  return {
    kind: "test",
    title: `${PREFIX.test}发货通知单中台告警通道「${input.channelName}」`,
    facts: [
      ["说明", "这是一条测试消息，收到即表示通道配置正确。"],
      ["发送人", input.actor],
      ["发送时间", shanghaiTime(input.now)],
    ],
    link: absoluteLink(input.publicUrl, "/admin/alerts"),
    linkLabel: "打开告警设置",
  };
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join("")}…`;
}

/** The message as Markdown (WeCom, DingTalk, the webhook's `text`): bold title, one fact a line, the example quoted. */
export function messageMarkdown(message: AlertMessage): string {
  const lines = [`**${escapeMarkdown(message.title)}**`, ""];
  for (const [label, value] of message.facts) lines.push(`- ${label}：${escapeMarkdown(value)}`);
  if (message.example) lines.push("", `> 示例错误：${escapeMarkdown(message.example).replace(/\n+/g, " ")}`);
  if (message.link) lines.push("", `[${message.linkLabel}](${message.link})`);
  return lines.join("\n");
}

/** The message as plain text (e-mail, Feishu paragraphs). */
export function messageText(message: AlertMessage): string {
  const lines = [message.title, ""];
  for (const [label, value] of message.facts) lines.push(`${label}：${value}`);
  if (message.example) lines.push("", `示例错误：${message.example}`);
  if (message.link) lines.push("", `${message.linkLabel}：${message.link}`);
  return lines.join("\n");
}

// A partner's error text must not turn into links or headings in the chat.
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#])/g, "\\$1");
}
