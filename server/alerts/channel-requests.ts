import type { AlertMessage } from "@/db/schema/alerts";
import { messageMarkdown } from "@/server/alerts/alert-message";
import type { ChannelKind, ChannelSettings } from "@/lib/alert-channel-kinds";
import { dingtalkSignedUrl, feishuSign, webhookSignature } from "@/server/alerts/signatures";

/** One HTTP POST to a chat robot or webhook. */
export type ChannelRequest = { url: string; headers: Record<string, string>; body: string };

// WeCom's markdown content is at most 4 096 bytes (企业微信 群机器人配置说明 → markdown类型).
const WECOM_MAX_BYTES = 4096;

/**
 * The request that delivers `message` to an HTTP channel (not e-mail), in the
 * vendor's documented format:
 * - WeCom group robot: `{"msgtype":"markdown","markdown":{"content":…}}` (群机器人配置说明);
 * - DingTalk robot: `{"msgtype":"markdown","markdown":{"title","text"}}`, signed in the query (自定义机器人发送群消息);
 * - Feishu / Lark bot: `{"msg_type":"post","content":{"post":{"zh_cn":{title,content}}}}` plus `timestamp`/`sign` in the body;
 * - generic webhook: the message as JSON, `X-Hub-Signature` when it has a secret.
 * @param now the signing instant (DingTalk in ms, Feishu in s).
 * @throws Error when the kind is e-mail or the URL is missing.
 */
export function buildChannelRequest(kind: ChannelKind, settings: ChannelSettings, message: AlertMessage, now: Date): ChannelRequest {
  if (!settings.url) throw new Error("未设置 URL (no URL set)");
  const headers = { "content-type": "application/json; charset=utf-8" };
  switch (kind) {
    case "wecom":
      return { url: settings.url, headers, body: JSON.stringify({ msgtype: "markdown", markdown: { content: fitBytes(messageMarkdown(message), WECOM_MAX_BYTES) } }) };
    case "dingtalk":
      return {
        url: dingtalkSignedUrl(settings.url, settings.secret, now.getTime()),
        headers,
        body: JSON.stringify({ msgtype: "markdown", markdown: { title: message.title, text: messageMarkdown(message) } }),
      };
    case "feishu": {
      const seconds = Math.floor(now.getTime() / 1000);
      const signed = settings.secret ? { timestamp: String(seconds), sign: feishuSign(seconds, settings.secret) } : {};
      return { url: settings.url, headers, body: JSON.stringify({ ...signed, msg_type: "post", content: { post: { zh_cn: feishuPost(message) } } }) };
    }
    case "webhook": {
      const body = JSON.stringify({
        event: `alert.${message.kind}`,
        title: message.title,
        facts: Object.fromEntries(message.facts),
        example: message.example ?? null,
        link: message.link ?? null,
        text: messageMarkdown(message),
        sentAt: now.toISOString(),
      });
      return { url: settings.url, headers: settings.secret ? { ...headers, "x-hub-signature": webhookSignature(body, settings.secret) } : headers, body };
    }
    case "email":
      throw new Error("e-mail is sent over SMTP, not HTTP");
  }
}

function feishuPost(message: AlertMessage) {
  const paragraphs: { tag: string; text: string; href?: string }[][] = message.facts.map(([label, value]) => [{ tag: "text", text: `${label}：${value}` }]);
  if (message.example) paragraphs.push([{ tag: "text", text: `示例错误：${message.example}` }]);
  if (message.link) paragraphs.push([{ tag: "a", text: message.linkLabel, href: message.link }]);
  return { title: message.title, content: paragraphs };
}

function fitBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let cut = text;
  while (Buffer.byteLength(`${cut}…`) > maxBytes) cut = cut.slice(0, Math.floor(cut.length * 0.9));
  return `${cut}…`;
}

/**
 * Whether the vendor took the message. The robots answer HTTP 200 with an
 * error code for a wrong key, signature or keyword: WeCom and DingTalk
 * `{"errcode":0,"errmsg":"ok"}` on success; Feishu `{"code":0,"msg":"success"}`
 * (older bots `{"StatusCode":0}`). The generic webhook: any 2xx.
 * @returns null when delivered, else the error to show the admin.
 */
export function readChannelAnswer(kind: ChannelKind, status: number, body: string): string | null {
  const excerpt = body.length > 300 ? `${body.slice(0, 300)}…` : body;
  if (status < 200 || status >= 300) return `HTTP ${status}${excerpt ? `: ${excerpt}` : ""}`;
  if (kind === "webhook") return null;
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return `HTTP ${status}，应答不是 JSON (answer is not JSON): ${excerpt}`;
  }
  if (kind === "feishu") {
    const code = answer.code ?? answer.StatusCode;
    return code === 0 ? null : `code ${String(code)}: ${said(answer.msg ?? answer.StatusMessage)}`;
  }
  return answer.errcode === 0 ? null : `errcode ${String(answer.errcode)}: ${said(answer.errmsg)}`;
}

/** A vendor's message field as text: a string as it is, anything else as JSON, nothing as "". */
function said(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
