import { describe, expect, it } from "vitest";
import { dingtalkSign, dingtalkSignedUrl, feishuSign, webhookSignature } from "@/server/alerts/signatures";

// Expected values: the vendors' documented Python samples run with these inputs
// (DingTalk 自定义机器人安全设置 "加签"; Feishu 自定义机器人 "签名校验"), plus the
// published test vector of the `dingding` crate (1700000000000, "secret").
describe("DingTalk 加签", () => {
  it("matches the documented algorithm's output, URL-encoded", () => {
    expect(dingtalkSign(1_700_000_000_000, "secret")).toBe("OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D");
    expect(dingtalkSign(1_577_262_236_757, "this is secret")).toBe("hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D");
  });

  it("appends timestamp (ms) and sign to the robot URL, and leaves an unsigned robot alone", () => {
    const url = dingtalkSignedUrl("https://oapi.dingtalk.com/robot/send?access_token=abc", "secret", 1_700_000_000_000);
    expect(url).toBe("https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign=OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D");
    expect(new URL(url).searchParams.get("sign")).toBe("OuzzJR5+xZ4/EYwqtNt6sMYZQMTa/HEGvc9miJe7XzY=");
    expect(dingtalkSignedUrl("http://127.0.0.1:1/robot", undefined, 1)).toBe("http://127.0.0.1:1/robot");
  });
});

describe("Feishu 签名校验", () => {
  it("keys HMAC-SHA256 with timestamp\\nsecret over an empty message, Base64, not URL-encoded", () => {
    expect(feishuSign(1_599_360_473, "demo")).toBe("l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=");
    // The DingTalk scheme on the same inputs gives something else: the two must not be confused.
    expect(feishuSign(1_599_360_473, "demo")).not.toBe(decodeURIComponent(dingtalkSign(1_599_360_473, "demo")));
  });
});

describe("generic webhook signature", () => {
  it("is sha256=<hex HMAC of the raw body>", () => {
    expect(webhookSignature('{"a":1}', "k")).toBe("sha256=c3a92ff9e274cdcce27a58c15a78ec6dcbbdbd0038a87e7a11baef2028fd8bff");
  });
});
