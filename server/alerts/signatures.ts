import { createHmac } from "node:crypto";

/**
 * DingTalk custom robot "加签": HMAC-SHA256 keyed with the secret over
 * `${timestampMs}\n${secret}`, Base64, then URL-encoded; sent as the
 * `timestamp` and `sign` query parameters. Source: DingTalk open platform,
 * 自定义机器人安全设置 (its Python sample: hmac.new(secret, string_to_sign) →
 * quote_plus(b64encode(...))). The timestamp is in milliseconds and must be
 * within an hour of DingTalk's clock.
 * @returns the URL-encoded signature, ready for the query string.
 */
export function dingtalkSign(timestampMs: number, secret: string): string {
  const digest = createHmac("sha256", secret).update(`${timestampMs}\n${secret}`, "utf8").digest("base64");
  return encodeURIComponent(digest);
}

/** The DingTalk webhook URL with `timestamp` and `sign` appended (no change without a secret). */
export function dingtalkSignedUrl(url: string, secret: string | undefined, nowMs: number): string {
  if (!secret) return url;
  const separator = url.includes("?") ? "&" : "?";
  return `${url}${separator}timestamp=${nowMs}&sign=${dingtalkSign(nowMs, secret)}`;
}

/**
 * Feishu / Lark custom bot "签名校验": HMAC-SHA256 keyed with
 * `${timestampSeconds}\n${secret}` over an EMPTY message, Base64 (not
 * URL-encoded); sent in the JSON body as `timestamp` (string, seconds) and
 * `sign`. Source: open.feishu.cn, 自定义机器人使用指南 → 签名校验 (its Python
 * sample: hmac.new(string_to_sign, b"", sha256)). Within an hour of Feishu's clock.
 */
export function feishuSign(timestampSeconds: number, secret: string): string {
  return createHmac("sha256", `${timestampSeconds}\n${secret}`).update("").digest("base64");
}

/**
 * The generic webhook's own signature, for the receiver to check the hub sent
 * it: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the
 * channel's secret>` (the GitHub webhook convention).
 */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}
