import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getConfig, type HubConfig } from "@/server/config";

/**
 * next-auth needs AUTH_SECRET and, behind a proxy or on a LAN address,
 * AUTH_TRUST_HOST. When the operator set neither, generate the secret into
 * DATA_DIR once and reuse it, so sessions survive a restart.
 */
export function prepareAuthEnvironment(
  config: Pick<HubConfig, "AUTH_SECRET" | "DATA_DIR"> = getConfig(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  env.AUTH_TRUST_HOST ||= "true";
  if (config.AUTH_SECRET) return (env.AUTH_SECRET = config.AUTH_SECRET);
  // One generated earlier in this process (kept in its environment, where next-auth reads it too).
  if (env.AUTH_SECRET?.trim()) return env.AUTH_SECRET;

  const { DATA_DIR } = config;
  // An in-memory database keeps nothing on disk; neither should its secret.
  if (DATA_DIR === "memory://") return (env.AUTH_SECRET = randomBytes(32).toString("base64url"));

  const file = path.resolve(DATA_DIR, "auth-secret");
  let secret = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "";
  if (!secret) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    secret = randomBytes(32).toString("base64url");
    try {
      // wx: when two instances start together, the first file wins and both read it.
      fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    } catch {
      secret = fs.readFileSync(file, "utf8").trim();
    }
  }
  return (env.AUTH_SECRET = secret);
}
