import { describe, expect, it } from "vitest";
import { parseConfig } from "@/server/config";
import { channelSecretKey, maskSecret, maskUrl, openSecret, sealSecret } from "@/server/secret-box";

describe("channel secrets at rest", () => {
  const key = channelSecretKey(parseConfig({ ALERT_SECRET_KEY: "one key", DATA_DIR: "memory://" }));

  it("seals with AES-256-GCM and opens with the same key only", () => {
    const sealed = sealSecret('{"secret":"SECabc"}', key);
    expect(sealed).not.toContain("SECabc");
    expect(sealed).not.toBe(sealSecret('{"secret":"SECabc"}', key)); // a fresh IV every time
    expect(openSecret(sealed, key)).toBe('{"secret":"SECabc"}');
    expect(() => openSecret(sealed, channelSecretKey(parseConfig({ ALERT_SECRET_KEY: "another key", DATA_DIR: "memory://" })))).toThrow(/cannot decrypt/);
  });

  it("derives the key from AUTH_SECRET when ALERT_SECRET_KEY is unset", () => {
    const fromAuth = channelSecretKey(parseConfig({ AUTH_SECRET: "session secret", DATA_DIR: "memory://" }));
    expect(fromAuth).toHaveLength(32);
    expect(fromAuth.equals(channelSecretKey(parseConfig({ AUTH_SECRET: "session secret", DATA_DIR: "memory://" })))).toBe(true);
    expect(fromAuth.equals(channelSecretKey(parseConfig({ AUTH_SECRET: "other", DATA_DIR: "memory://" })))).toBe(false);
  });

  it("masks secrets, robot keys in URLs and SMTP passwords", () => {
    expect(maskSecret("SEC0123456789abcdef")).toBe("SEC0…cdef");
    expect(maskUrl("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa")).toBe(
      "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…5aaa",
    );
    expect(maskUrl("https://open.feishu.cn/open-apis/bot/v2/hook/2d9b1e7a-1234-4c1d-9f8e-abcdef012345")).toBe("https://open.feishu.cn/open-apis/bot/v2/hook/2d9b…2345");
    expect(maskUrl("smtps://alerts:hunter2@smtp.example.com:465")).not.toContain("hunter2");
  });
});
