import { desc, eq, sql } from "drizzle-orm";
import { openedHubDatabase, type Db } from "@/db/client";
import { liveSettings as storedSettings, liveSettingsAudit } from "@/db/schema/live-settings";
import { maskSecret, openSecret, sealSecret, secretKeyFor } from "@/server/secret-box";
import { getConfig, parseConfig, type HubConfig } from "@/server/config";
import { HubError } from "@/server/errors";
import { log } from "@/server/log";
import { checkLiveSetting, liveSettingKeys, liveSettings, type LiveSettingKey, type SettingProblem } from "@/lib/setting-kinds";

/**
 * Settings an admin changes in the dashboard, in force without a restart
 * (issue #12): the environment's configuration with the stored values over it.
 *
 * - `liveConfig()` (sync) is what delivery code reads: the last merged view.
 *   When it is older than REFRESH_MS it starts a re-read in the background
 *   and answers with what it has (a partner call never waits for it).
 * - `refreshLiveConfig(db)` re-reads now; the delivery worker calls it before
 *   each claim, and on NOTIFY `hub_live_settings` (sent by every save), so the next
 *   delivery after a save uses the new target in every instance.
 * - Tokens are sealed with secret-box (purpose "hub-settings-secrets/v1"), and
 *   neither the page nor the audit ever gets them back in clear.
 */
export const SETTINGS_CHANNEL = "hub_live_settings";
const REFRESH_MS = 5000;
const SECRET_PURPOSE = "hub-settings-secrets/v1";

type Cache = { base: HubConfig; overrides: Partial<Record<LiveSettingKey, string>>; merged: HubConfig; readAt: number; reading?: Promise<HubConfig> };
const holder = globalThis as unknown as { liveSettings?: Cache };

const isSecret = (key: LiveSettingKey) => liveSettings[key].kind === "secret";

function merge(base: HubConfig, overrides: Cache["overrides"]): HubConfig {
  if (Object.keys(overrides).length === 0) return base;
  try {
    return parseConfig({ ...base, ...overrides });
  } catch (error) {
    // Every stored value was checked when saved; a bound tightened by an upgrade must not stop deliveries.
    log.warn({ err: error }, "stored settings no longer valid: the environment's values are used");
    return base;
  }
}

/** The configuration in force for deliveries: environment, then the admin's stored values (as last read). */
export function liveConfig(): HubConfig {
  const base = getConfig();
  let cache = holder.liveSettings;
  if (!cache || cache.base !== base) {
    // The environment was re-read (tests): keep the stored values, merge again.
    cache = holder.liveSettings = { base, overrides: cache?.overrides ?? {}, merged: merge(base, cache?.overrides ?? {}), readAt: cache?.readAt ?? 0 };
  }
  const opened = openedHubDatabase();
  // Only re-read through a database the process already has: reading a setting never opens one.
  if (opened && Date.now() - cache.readAt > REFRESH_MS && !cache.reading) void opened.then((hub) => refreshLiveConfig(hub.db)).catch(() => {});
  return cache.merged;
}

/**
 * Reads the stored settings now and returns the merged configuration. A
 * database without the table yet (an older schema in a test) or a token that
 * no longer decrypts leaves the environment's value in force, with a warning.
 */
export async function refreshLiveConfig(db: Db): Promise<HubConfig> {
  const current = holder.liveSettings;
  if (current?.reading) return current.reading;
  const reading = (async () => {
    try {
      const rows = await db.select().from(storedSettings);
      const overrides: Cache["overrides"] = {};
      for (const row of rows) {
        if (!liveSettingKeys.includes(row.key as LiveSettingKey)) continue;
        const key = row.key as LiveSettingKey;
        try {
          overrides[key] = isSecret(key) ? openSecret(row.value, secretKeyFor(SECRET_PURPOSE)) : row.value;
        } catch (error) {
          log.warn({ err: error, setting: key }, "stored setting unreadable: the environment's value is used");
        }
      }
      const base = getConfig();
      holder.liveSettings = { base, overrides, merged: merge(base, overrides), readAt: Date.now() };
    } catch (error) {
      log.warn({ err: error }, "cannot read stored settings; keeping the last ones");
      const base = getConfig();
      const last = holder.liveSettings;
      holder.liveSettings = { base, overrides: last?.overrides ?? {}, merged: merge(base, last?.overrides ?? {}), readAt: Date.now() };
    }
    return holder.liveSettings.merged;
  })();
  if (current) current.reading = reading;
  else holder.liveSettings = { base: getConfig(), overrides: {}, merged: getConfig(), readAt: 0, reading };
  return reading;
}

/** Tests only: forget what was read, so the next liveConfig() is the environment until refreshed. */
export function resetLiveConfigForTests() {
  holder.liveSettings = undefined;
}

/** How a value is shown: targets and numbers as they are, tokens masked ("e2e-…oken"). */
const shownValue = (key: LiveSettingKey, value: string | number | undefined) =>
  value === undefined ? null : isSecret(key) ? maskSecret(String(value)) : String(value);

/**
 * What the settings page shows for each live setting: the value in force and
 * where it comes from ("stored" by an admin, "environment", or "unset"), the
 * environment's value (the default a reset goes back to), who stored it and when.
 * Tokens only masked. Output: one entry per key, in the order of liveSettings.
 */
export async function listLiveSettings(db: Db) {
  await refreshLiveConfig(db);
  const rows = new Map((await db.select().from(storedSettings)).map((row) => [row.key, row]));
  const env = getConfig();
  const merged = liveConfig();
  return liveSettingKeys.map((key) => {
    const row = rows.get(key);
    const source = row ? ("stored" as const) : env[key] !== undefined ? ("environment" as const) : ("unset" as const);
    return {
      key,
      ...liveSettings[key],
      source,
      value: shownValue(key, merged[key]),
      environmentValue: shownValue(key, env[key]),
      updatedBy: row?.updatedBy ?? null,
      updatedAt: row?.updatedAt ?? null,
    };
  });
}

const PROBLEM_TEXT: Record<SettingProblem, string> = {
  url: "须为 http:// 或 https:// 开头的地址 (must be an http(s) URL)",
  integer: "须为整数 (must be a whole number)",
  range: "超出允许范围 (out of range)",
  empty: "不能为空；要恢复环境变量的值请用“恢复默认” (empty: use reset to go back to the environment's value)",
};

/**
 * Stores `value` for `key` (null: delete it, the environment's value is in
 * force again), audits who/when/before/after (tokens masked), tells every
 * instance (NOTIFY hub_live_settings) and re-reads in this one.
 * @throws HubError invalid_body naming the problem (checkLiveSetting).
 */
export async function saveLiveSetting(db: Db, input: { key: LiveSettingKey; value: string | null; actor: string }, now = new Date()): Promise<void> {
  let stored: string | null = null;
  let shown: string | null = null;
  if (input.value !== null) {
    const checked = checkLiveSetting(input.key, input.value);
    if (!checked.ok) throw new HubError("invalid_body", `${input.key}: ${PROBLEM_TEXT[checked.problem]}`);
    stored = isSecret(input.key) ? sealSecret(checked.value, secretKeyFor(SECRET_PURPOSE)) : checked.value;
    shown = shownValue(input.key, checked.value);
  }
  const before = shownValue(input.key, liveConfig()[input.key]);
  await db.transaction(async (tx) => {
    const [existing] = await tx.select().from(storedSettings).where(eq(storedSettings.key, input.key)).for("update");
    if (stored === null) await tx.delete(storedSettings).where(eq(storedSettings.key, input.key));
    else {
      await tx
        .insert(storedSettings)
        .values({ key: input.key, value: stored, updatedBy: input.actor, updatedAt: now })
        .onConflictDoUpdate({ target: storedSettings.key, set: { value: stored, updatedBy: input.actor, updatedAt: now } });
    }
    await tx.insert(liveSettingsAudit).values({
      key: input.key,
      before: existing ? before : null,
      after: shown,
      actor: input.actor,
      createdAt: now,
    });
    await tx.execute(sql`select pg_notify(${SETTINGS_CHANNEL}, ${input.key})`);
  });
  // This instance at once (the NOTIFY reaches the others' workers); nothing of the result goes back: it holds tokens.
  await refreshLiveConfig(db);
}

/** The latest setting changes, newest first (`limit` rows): who, when, key, before, after (tokens masked). */
export async function listSettingsAudit(db: Db, limit = 50) {
  return db.select().from(liveSettingsAudit).orderBy(desc(liveSettingsAudit.createdAt), desc(liveSettingsAudit.id)).limit(limit);
}
