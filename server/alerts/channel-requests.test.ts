import { describe, expect, it } from "vitest";
import type { AlertMessage } from "@/db/schema/alerts";
import { composeAlertMessage } from "@/server/alerts/alert-message";
import { buildChannelRequest, readChannelAnswer } from "@/server/alerts/channel-requests";
import { feishuSign } from "@/server/alerts/signatures";

const now = new Date("2026-11-30T12:00:00.000Z");
const message: AlertMessage = composeAlertMessage({
  kind: "opened",
  details: {
    title: "投递到 OMS（电商） 失败：/pos/ordermake（超时无应答）",
    facts: [["未处理投递", "26 条"]],
    example: "no answer within 10000 ms",
    linkPath: "/problems/7",
    linkLabel: "查看问题",
  },
  openedAt: now,
  now,
  publicUrl: "https://hub.example.com/",
});

describe("channel formats", () => {
  it("WeCom: a markdown message with the title, counts, example and link", () => {
    const request = buildChannelRequest("wecom", { url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K" }, message, now);
    const body = JSON.parse(request.body);
    expect(Object.keys(body)).toEqual(["msgtype", "markdown"]);
    expect(body.msgtype).toBe("markdown");
    expect(body.markdown.content).toContain("**【告警】投递到 OMS（电商） 失败：/pos/ordermake（超时无应答）**");
    expect(body.markdown.content).toContain("- 未处理投递：26 条");
    expect(body.markdown.content).toContain("- 开始时间：2026-11-30 20:00:00");
    expect(body.markdown.content).toContain("示例错误：no answer within 10000 ms");
    expect(body.markdown.content).toContain("[查看问题](https://hub.example.com/problems/7)");
    expect(request.url).toBe("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K");
  });

  it("WeCom: a message past 4 096 bytes is cut to fit", () => {
    const long = { ...message, example: "错".repeat(3000) };
    const body = JSON.parse(buildChannelRequest("wecom", { url: "http://127.0.0.1:1/" }, long, now).body);
    expect(Buffer.byteLength(body.markdown.content)).toBeLessThanOrEqual(4096);
  });

  it("DingTalk: markdown with a title, signed in the query with the ms timestamp", () => {
    const request = buildChannelRequest("dingtalk", { url: "https://oapi.dingtalk.com/robot/send?access_token=T", secret: "secret" }, message, new Date(1_700_000_000_000));
    const url = new URL(request.url);
    expect(url.searchParams.get("access_token")).toBe("T");
    expect(url.searchParams.get("timestamp")).toBe("1700000000000");
    expect(url.searchParams.get("sign")).toBe("OuzzJR5+xZ4/EYwqtNt6sMYZQMTa/HEGvc9miJe7XzY=");
    const body = JSON.parse(request.body);
    expect(body.msgtype).toBe("markdown");
    expect(body.markdown.title).toBe(message.title);
    expect(body.markdown.text).toContain("26 条");
  });

  it("Feishu: a post with timestamp (seconds, as a string) and sign in the body", () => {
    const at = new Date(1_599_360_473_900);
    const body = JSON.parse(buildChannelRequest("feishu", { url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret: "demo" }, message, at).body);
    expect(body.timestamp).toBe("1599360473");
    expect(body.sign).toBe(feishuSign(1_599_360_473, "demo"));
    expect(body.sign).toBe("l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=");
    expect(body.msg_type).toBe("post");
    expect(body.content.post.zh_cn.title).toBe(message.title);
    expect(body.content.post.zh_cn.content).toContainEqual([{ tag: "a", text: "查看问题", href: "https://hub.example.com/problems/7" }]);
  });

  it("Feishu without a secret sends no timestamp or sign", () => {
    const body = JSON.parse(buildChannelRequest("feishu", { url: "http://127.0.0.1:1/" }, message, now).body);
    expect(body).not.toHaveProperty("sign");
    expect(body).not.toHaveProperty("timestamp");
  });

  it("generic webhook: the message as JSON, signed when it has a secret", () => {
    const request = buildChannelRequest("webhook", { url: "http://127.0.0.1:1/hook", secret: "k" }, message, now);
    const body = JSON.parse(request.body);
    expect(body).toMatchObject({ event: "alert.opened", title: message.title, link: "https://hub.example.com/problems/7", facts: { 未处理投递: "26 条" } });
    expect(request.headers["x-hub-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(buildChannelRequest("webhook", { url: "http://127.0.0.1:1/hook" }, message, now).headers).not.toHaveProperty("x-hub-signature");
  });
});

describe("reading the vendor's answer", () => {
  it("takes errcode 0 / code 0 as delivered", () => {
    expect(readChannelAnswer("wecom", 200, '{"errcode":0,"errmsg":"ok"}')).toBeNull();
    expect(readChannelAnswer("dingtalk", 200, '{"errcode":0,"errmsg":"ok"}')).toBeNull();
    expect(readChannelAnswer("feishu", 200, '{"code":0,"msg":"success","data":{}}')).toBeNull();
    expect(readChannelAnswer("feishu", 200, '{"StatusCode":0,"StatusMessage":"success"}')).toBeNull();
    expect(readChannelAnswer("webhook", 204, "")).toBeNull();
  });

  it("treats an error code with HTTP 200 as a failure and says which", () => {
    expect(readChannelAnswer("dingtalk", 200, '{"errcode":310000,"errmsg":"sign not match"}')).toBe("errcode 310000: sign not match");
    expect(readChannelAnswer("wecom", 200, '{"errcode":93000,"errmsg":"invalid webhook url"}')).toBe("errcode 93000: invalid webhook url");
    expect(readChannelAnswer("feishu", 200, '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}')).toContain("code 19021");
  });

  it("fails a non-2xx status and a 200 that is not JSON", () => {
    expect(readChannelAnswer("webhook", 500, "down")).toBe("HTTP 500: down");
    expect(readChannelAnswer("wecom", 200, "<html>proxy</html>")).toContain("not JSON");
  });
});
