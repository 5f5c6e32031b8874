import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { getConfig, type HubConfig } from "@/server/config";
import { authSecret } from "@/db/auth-secret";

const VERSION = "v1";

/**
 * The key that encrypts alert channel secrets at rest: HKDF-SHA256 of
 * ALERT_SECRET_KEY when set, else of AUTH_SECRET (the session secret; when
 * unset, the one generated into the database and loaded when it opened), with a
 * purpose of its own so the same secret never serves two uses. 32 bytes, for AES-256-GCM.
 * @throws Error when neither is set and the database has not opened yet (see authSecret).
 */
export function channelSecretKey(config: Pick<HubConfig, "ALERT_SECRET_KEY" | "AUTH_SECRET"> = getConfig()): Buffer {
  return secretKeyFor("alert-channel-secrets/v1", config);
}

/**
 * The same key material with another purpose (HKDF info), for other secrets
 * the hub keeps at rest — e.g. "hub-settings-secrets/v1" for the tokens the hub
 * presents to partners (server/settings/live-settings.ts).
 */
export function secretKeyFor(purpose: string, config: Pick<HubConfig, "ALERT_SECRET_KEY" | "AUTH_SECRET"> = getConfig()): Buffer {
  const material = config.ALERT_SECRET_KEY ?? authSecret(config);
  return Buffer.from(hkdfSync("sha256", material, "dispatch-hub", purpose, 32));
}

/** AES-256-GCM: "v1.<iv>.<tag>.<ciphertext>", base64url parts. */
export function sealSecret(plain: string, key: Buffer = channelSecretKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

/**
 * @throws Error "cannot decrypt" when the text was sealed with another key
 * (ALERT_SECRET_KEY / AUTH_SECRET changed) or altered.
 */
export function openSecret(sealed: string, key: Buffer = channelSecretKey()): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error("cannot decrypt: unknown format");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("无法解密通道密钥：ALERT_SECRET_KEY 或 AUTH_SECRET 已更换，请重新填写 (cannot decrypt: the key changed; enter the secret again)");
  }
}

/** "SEC1…9a2f": enough to recognise a secret, never enough to use it. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return "••••";
  return `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}

/**
 * A webhook URL as the admin pages show it: scheme, host and path, with the
 * query values (WeCom's `key`, DingTalk's `access_token`) and any password masked.
 */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = "••••";
    for (const [name, value] of url.searchParams) url.searchParams.set(name, maskSecret(value));
    // Feishu's hook id is the last path segment and is the secret part of its URL.
    const segments = url.pathname.split("/");
    const last = segments.at(-1) ?? "";
    if (last.length > 16) segments[segments.length - 1] = maskSecret(last);
    url.pathname = segments.join("/");
    return decodeURIComponent(url.toString());
  } catch {
    return maskSecret(raw);
  }
}
