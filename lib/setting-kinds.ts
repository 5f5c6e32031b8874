// Kept apart from the database layer so the settings page can import the list
// and the same checks the server makes (one rule in one module).

/**
 * The settings an admin can change live (issue #12), with what each holds and
 * its bounds; server/config.ts takes the same bounds for the environment.
 * - url: where deliveries to a side go (http/https only);
 * - secret: the bearer token the hub presents to a side (stored sealed, never shown again);
 * - number: whole number in [min, max], in `unit`.
 */
export const liveSettings = {
  OMS_BASE_URL: { kind: "url", side: "oms" },
  OMS_TOKEN: { kind: "secret", side: "oms" },
  POS_BASE_URL: { kind: "url", side: "pos" },
  POS_TOKEN: { kind: "secret", side: "pos" },
  DELIVERY_TIMEOUT_MS: { kind: "number", unit: "ms", min: 100, max: 600_000 },
  DELIVERY_DEADLINE_SECONDS: { kind: "number", unit: "s", min: 1, max: 30 * 24 * 3600 },
  DELIVERY_CONCURRENCY: { kind: "number", unit: "", min: 1, max: 256 },
} as const;

export type LiveSettingKey = keyof typeof liveSettings;
export const liveSettingKeys = Object.keys(liveSettings) as LiveSettingKey[];

/** Why a typed value cannot be used: not an http(s) URL, not a whole number, out of range, or empty. */
export type SettingProblem = "url" | "integer" | "range" | "empty";

/**
 * Checks a value typed for `key`. Returns the value to store (trimmed text;
 * a number as its decimal text) or the problem. URLs: http: or https: only,
 * trailing slashes dropped. Numbers: whole, within the key's bounds.
 */
export function checkLiveSetting(key: LiveSettingKey, typed: string): { ok: true; value: string } | { ok: false; problem: SettingProblem } {
  const setting = liveSettings[key];
  const text = typed.trim();
  if (!text) return { ok: false, problem: "empty" };
  if (setting.kind === "url") {
    const url = URL.parse(text);
    if (!url || !["http:", "https:"].includes(url.protocol) || !url.hostname) return { ok: false, problem: "url" };
    return { ok: true, value: text.replace(/\/+$/, "") };
  }
  if (setting.kind === "number") {
    if (!/^\d+$/.test(text)) return { ok: false, problem: "integer" };
    const value = Number(text);
    if (value < setting.min || value > setting.max) return { ok: false, problem: "range" };
    return { ok: true, value: String(value) };
  }
  return { ok: true, value: text };
}
